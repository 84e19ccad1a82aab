import type { Command } from 'commander'
import { onNotice } from '../../core/ml/notices'
import { globalOptions, type GlobalOptions } from './options'
import { printJson, reportError } from './print'

/**
 * Runs a command body and prints what it returns: as JSON with --json, else through `format`.
 * A thrown error goes to stderr and sets a non-zero exit code.
 */
export async function runCommand<T>(
  command: Command,
  body: (options: GlobalOptions) => Promise<T> | T,
  format: (result: T) => string,
): Promise<void> {
  const options = globalOptions(command)
  // A missing optional package that would make this faster: said once, on stderr.
  const stopNotices = onNotice((message) => process.stderr.write(`Note: ${message}\n`))
  try {
    const result = await body(options)
    if (options.json) printJson(result)
    else process.stdout.write(`${format(result)}\n`)
  } catch (error) {
    reportError(error, options.json)
    process.exitCode = error instanceof Error && 'exitCode' in error ? Number(error.exitCode) : 1
  } finally {
    stopNotices()
  }
}
