import type { Command } from 'commander'

/** Every `kindred` sub-command; each file exports `register(program)`. One line per command. */
export function registerCommands(program: Command): void {
  void program
}
