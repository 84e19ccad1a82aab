export {
  interruptedOrganize,
  organize,
  organizeJob,
  resumableOrganize,
  resumeOrganize,
  startOrganize,
} from './organize'
export type { OrganizeHooks, OrganizeOptions, OrganizeResult } from './organize'
export { organizeParams, DEFAULT_KNN, DEFAULT_VIEWS } from './params'
export type { OrganizeParams } from './params'
export { evaluateFolder, classFolders, labelsOf } from './eval'
export type { EvalOptions, EvalReport } from './eval'
export { ensureNeighbours, readNeighbours, writeNeighbours } from './neighbours'
export { usableFeatures, viewFeatures } from './features'
export { assignNewPhotos, assignJob } from './assign'
