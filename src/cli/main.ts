import './threads'
import { Command } from 'commander'
import { registerCommands } from './commands'
import { reportError } from './output/print'

/** The `kindred` command line: every command shares `--library DIR` and `--json`. */
export function buildProgram(): Command {
  const program = new Command('kindred')
    .description('Organize a photo library by discovering its groups without labels (SCAN).')
    .option('--library <dir>', 'library folder (default: KINDRED_LIBRARY or the app-data folder)')
    .option('--json', 'print one JSON document on stdout instead of text and progress')
    .showHelpAfterError()
  registerCommands(program)
  return program
}

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    reportError(error, process.argv.includes('--json'))
    process.exitCode = 1
  })
