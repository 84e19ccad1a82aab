import type { Command } from 'commander'
import { register as registerImport } from './import'
import { register as registerStatus } from './status'
import { register as registerServe } from './serve'

/** Every `kindred` sub-command; each file exports `register(program)`. One line per command. */
export function registerCommands(program: Command): void {
  registerImport(program)
  registerStatus(program)
  registerServe(program)
}
