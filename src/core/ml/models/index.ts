export {
  DEFAULT_MODEL,
  MODELS,
  findModel,
  requireModel,
  type ModelEntry,
  type ModelFile,
} from './registry'
export {
  locateModel,
  librarySearch,
  candidateDirs,
  hasAllFiles,
  ModelMissingError,
  APP_MODELS_DIR,
  type ModelLocation,
  type LocateOptions,
} from './locate'
export { verifyModelDir, sha256File, type VerifyProblem } from './verify'
export { downloadFile, ChecksumError, type DownloadOptions } from './download'
export { installModel, type InstallOptions, type InstallResult } from './install'
