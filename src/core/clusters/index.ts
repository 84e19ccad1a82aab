export {
  createRun,
  currentRun,
  findResumableRun,
  getRun,
  loadCheckpoint,
  saveCheckpoint,
  setRunState,
} from './runs'
export type { RunRecord, RunState } from './runs'
export { finishRun, addAssignments } from './write'
export type { FinishedRun, RunAssignment } from './write'
export {
  displayName,
  listGroups,
  listMembers,
  photoPaths,
  photosWithoutAssignment,
  prototypes,
  unsortedCount,
  unsortedReason,
  MAX_PROTOTYPES,
} from './read'
export type { GroupList } from './read'
export { groupRoots, planCarryOver } from './carryover'
export { encodeCheckpoint, decodeCheckpoint, blobToVector, vectorToBlob } from './serialize'
export { topTwo, centroids } from './argmax'
export { searchPhotos } from './search'
export { LOOKALIKE_HINT, hintPairs, lookalikeGroups } from './lookalikes'
export { DOUBTFUL_BELOW, isDoubtful } from './doubt'
