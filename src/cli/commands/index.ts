import type { Command } from 'commander'
import { register as registerImport } from './import'
import { register as registerStatus } from './status'
import { register as registerServe } from './serve'
import { register as registerOrganize } from './organize'
import { register as registerClusters } from './clusters'
import { register as registerEval } from './eval'
import { register as registerModels } from './models'
import { register as registerExport } from './export'
import { register as registerDuplicates } from './duplicates'
import { register as registerWatch } from './watch'
import { register as registerSearch } from './search'

/** Every `kindred` sub-command; each file exports `register(program)`. One line per command. */
export function registerCommands(program: Command): void {
  registerImport(program)
  registerStatus(program)
  registerServe(program)
  registerOrganize(program)
  registerClusters(program)
  registerEval(program)
  registerModels(program)
  registerExport(program)
  registerDuplicates(program)
  registerWatch(program)
  registerSearch(program)
}
