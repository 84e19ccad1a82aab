/**
 * The CLI as a host of the Engine, like the Electron shell and `kindred serve`: it opens the
 * Engine in this process, sends it the contract's commands and follows their progress events.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { CommandArgs, CommandName } from '../../shared/contract'
import { Engine } from '../../core/engine/engine'
import { commandSchemas } from '../../core/engine/schemas'
import { checkFolderToWrite } from '../../core/fs/user-folders'
import { DB_FILE, resolveLibraryDir } from '../../core/store/library'
import type { GlobalOptions } from './options'
import { CliError } from './print'

export type { Engine }

/**
 * Runs `body` with the Engine open on the library the command line names, then closes it.
 * `existing`: the command reads or edits a library, so it must not make one where there is
 * none (a mistyped --library, or a photo folder given as the library).
 */
export async function withEngine<T>(
  options: GlobalOptions,
  body: (engine: Engine) => Promise<T> | T,
  { existing = false }: { existing?: boolean } = {},
): Promise<T> {
  const dir = resolveLibraryDir(options.library)
  if (existing) requireLibrary(dir, options.library !== undefined)
  const engine = await Engine.open(dir)
  try {
    return await body(engine)
  } finally {
    await engine.close()
  }
}

/**
 * A clear error when `dir` holds no library: missing, or a folder without the library's
 * database. A place no library can be (a file, /proc) is refused first, with its own reason.
 */
function requireLibrary(dir: string, named: boolean): void {
  checkFolderToWrite(dir, 'The library location')
  if (fs.existsSync(path.join(dir, DB_FILE))) return
  const option = named ? ` --library ${dir}` : ''
  throw new CliError(
    `There is no Kindred library at ${dir}. Import a photo folder to make one: kindred import <folder>${option}`,
  )
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
