import type { Command } from 'commander'
import { resolveLibraryDir } from '../../core/store/library'
import { ensureRendererBuilt, serve } from '../../server'
import { globalOptions } from '../output/options'
import { CliError, printJson, reportError } from '../output/print'
import { stopRequested } from '../output/signals'

function parsePort(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535)
    throw new CliError(`--port must be a number from 0 to 65535, not "${value}".`)
  return port
}

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'serve the app to a browser on this machine (127.0.0.1 only, protected by a token)',
    )
    .option('--port <n>', 'port to listen on (default: any free port)', '0')
    .option('--library <dir>', 'library folder')
    .option('--json', 'print the address as JSON')
    .option('--no-watch', "don't pick up photos added, changed or removed in the folders")
    .option('--poll', 'poll the folders for changes (network drives that send no notices)')
    .action(async (opts: { port: string; watch: boolean; poll?: boolean }, command: Command) => {
      const options = globalOptions(command)
      // Listen before announcing the address: a Ctrl+C that follows the announcement at once
      // must stop cleanly, not kill the process with the library lock held.
      const stop = stopRequested()
      try {
        const port = parsePort(opts.port)
        const libraryDir = resolveLibraryDir(options.library)
        ensureRendererBuilt((line) => process.stderr.write(`${line}\n`))
        const running = await serve({ libraryDir, port, watch: opts.watch, poll: opts.poll })
        if (options.json) printJson({ url: running.url, port: running.port, library: libraryDir })
        else {
          process.stdout.write(
            `Kindred is serving the library ${libraryDir}\n` +
              `Open this address in a browser on this machine (it carries the access token):\n\n` +
              `  ${running.url}\n\nPress Ctrl+C to stop.\n`,
          )
        }
        await stop.requested
        process.stderr.write('Stopping…\n')
        await running.close()
      } catch (error) {
        reportError(error, options.json)
        process.exitCode = error instanceof CliError ? error.exitCode : 1
      } finally {
        stop.dispose()
      }
    })
}
