/** Every command of the contract, dispatched to the core module that does the work. */
import type { Handlers } from './context'
import { jobHandlers } from './handlers/jobs'
import { pendingHandlers } from './handlers/pending'

export const handlers: Handlers = {
  ...pendingHandlers,
  ...jobHandlers,
}
