export {
  organize,
  organizeJob,
  organizeParams,
  resumeOrganize,
  startOrganize,
  DEFAULT_KNN,
  DEFAULT_VIEWS,
} from './organize'
export type { OrganizeHooks, OrganizeOptions, OrganizeParams, OrganizeResult } from './organize'
export { evaluateFolder, classFolders, labelsOf } from './eval'
export type { EvalOptions, EvalReport } from './eval'
export { ensureNeighbours, readNeighbours, writeNeighbours } from './neighbours'
export { usableFeatures, viewFeatures, selectRows } from './features'
export { assignNewPhotos, assignJob } from './assign'
