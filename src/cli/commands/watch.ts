import type { Command } from 'commander'
import { Engine } from '../../core/engine/engine'
import { resolveLibraryDir } from '../../core/store/library'
import type { EngineEvent } from '../../shared/contract'
import { globalOptions } from '../output/options'
import { CliError, reportError } from '../output/print'
import { stopRequested } from '../output/signals'

/** `kindred watch`: the engine's folder watching, with what it picks up printed as it happens. */
export function register(program: Command): void {
  program
    .command('watch')
    .description(
      "watch the library's photo folders and import what is added, changed or removed, until Ctrl+C",
    )
    .option('--library <dir>', 'library folder')
    .option('--json', 'print one JSON line per change picked up')
    .option('--poll', 'poll the folders for changes (network drives that send no notices)')
    .action(async (opts: { poll?: boolean }, command: Command) => {
      const options = globalOptions(command)
      // Listening starts before the first line is printed (see serve).
      const stop = stopRequested()
      try {
        const libraryDir = resolveLibraryDir(options.library)
        const engine = await Engine.open(libraryDir, { watch: { poll: opts.poll === true } })
        try {
          const folders = engine.watchedFolders
          if (folders.length === 0) {
            throw new CliError(
              'No folder to watch: add one with `kindred import <folder>`, or switch watching on in the Library.',
            )
          }
          await engine.watchReady()
          process.stderr.write(
            `Watching ${folders.join(', ')} for library ${libraryDir}. Press Ctrl+C to stop.\n`,
          )
          engine.onEvent((event) => printEvent(event, options.json))
          await stop.requested
          process.stderr.write('Stopping…\n')
        } finally {
          await engine.close()
        }
      } catch (error) {
        reportError(error, options.json)
        process.exitCode = error instanceof CliError ? error.exitCode : 1
      } finally {
        stop.dispose()
      }
    })
}

function printEvent(event: EngineEvent, json: boolean): void {
  if (event.type === 'library.watched') {
    const at = new Date()
    if (json) process.stdout.write(`${JSON.stringify({ at: at.toISOString(), ...event.report })}\n`)
    else process.stdout.write(`${at.toLocaleTimeString()}  ${event.report.message}\n`)
  } else if (event.type === 'progress' && event.progress.status === 'failed') {
    process.stderr.write(
      `kindred: the ${event.progress.kind} job failed: ${event.progress.error}\n`,
    )
  }
}
