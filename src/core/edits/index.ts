/**
 * Edits a person makes to the current run's groups, each journalled so it can be undone (all
 * but keepApart, which moves nothing: it only stops a "Looks like" hint).
 */
export { EditError } from './errors'
export { editState, undoEdit, redoEdit } from './journal'
export { renameCluster, cleanGroupName, MAX_NAME_LENGTH } from './rename'
export { mergeClusters } from './merge'
export { splitCluster } from './split'
export { movePhotos } from './move'
export { findCurrentRun, groupName } from './run'
export { keepOneHideRest, showPhotos } from './hide'
export { keepApart } from './apart'
