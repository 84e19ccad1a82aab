/**
 * The CLI as a host of the Engine, like the Electron shell and `kindred serve`: it opens the
 * Engine in this process, sends it the contract's commands and follows their progress events.
 */
import type { CommandArgs, CommandName } from '../../shared/contract'
import { Engine } from '../../core/engine/engine'
import { commandSchemas } from '../../core/engine/schemas'
import { resolveLibraryDir } from '../../core/store/library'
import type { GlobalOptions } from './options'
import { CliError } from './print'

export type { Engine }

/** Runs `body` with the Engine open on the library the command line names, then closes it. */
export async function withEngine<T>(
  options: GlobalOptions,
  body: (engine: Engine) => Promise<T> | T,
): Promise<T> {
  const engine = await Engine.open(resolveLibraryDir(options.library))
  try {
    return await body(engine)
  } finally {
    await engine.close()
  }
}

/**
 * Checks a command's arguments against the contract's schema (the Engine checks them again:
 * one rule, wherever they come from), naming the command-line option each problem came from,
 * e.g. `--clusters: Give a whole number of groups from 2 to 1000, or "auto".`
 */
export function checkedArgs<C extends CommandName>(
  command: C,
  args: Record<string, unknown>,
  options: Record<string, string> = {},
): CommandArgs<C> {
  const result = commandSchemas[command].safeParse(args)
  if (result.success) return result.data as CommandArgs<C>
  const lines = result.error.issues.map((issue) => {
    const option = options[String(issue.path[0])]
    if (option) return `${option}: ${issue.message}`
    return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message
  })
  throw new CliError(lines.join('\n'))
}

/** A number when the text is one ("12", "-3"), else the text as given, for the schema to judge. */
export function numberOrText(value: string): number | string {
  return /^[+-]?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value
}
