/** Every command of the contract, dispatched to the core module that does the work. */
import type { Handlers } from './context'
import { clusterHandlers } from './handlers/clusters'
import { duplicateHandlers } from './handlers/duplicates'
import { editHandlers } from './handlers/edits'
import { exportHandlers } from './handlers/export'
import { jobHandlers } from './handlers/jobs'
import { libraryHandlers } from './handlers/library'
import { modelHandlers } from './handlers/models'
import { organizeHandlers } from './handlers/organize'
import { photoHandlers } from './handlers/photos'

export const handlers: Handlers = {
  ...libraryHandlers,
  ...organizeHandlers,
  ...jobHandlers,
  ...clusterHandlers,
  ...photoHandlers,
  ...editHandlers,
  ...exportHandlers,
  ...modelHandlers,
  ...duplicateHandlers,
}
