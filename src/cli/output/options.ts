import type { Command } from 'commander'

/** The options every command shares, wherever they were written on the command line. */
export interface GlobalOptions {
  library?: string
  json: boolean
}

export function globalOptions(command: Command): GlobalOptions {
  const opts = command.optsWithGlobals<{ library?: string; json?: boolean }>()
  return { library: opts.library, json: opts.json === true }
}
