import type { Command } from 'commander'
import { importFolders, type ImportSummary } from '../../core/ingest'
import { acquireJobLock } from '../../core/jobs/lock'
import { readablePath } from '../../core/library/paths'
import { formatSeconds, createProgressReporter } from '../output/progress'
import { withLibrary } from '../output/library'
import { table } from '../output/format'
import { runCommand } from '../output/run'
import { onStopSignal } from '../output/signals'
import { trackStages } from '../output/stages'

type ImportResult = ImportSummary & { library: string }

export function register(program: Command): void {
  program
    .command('import')
    .description('import (or re-import) the photos in one or more folders')
    .argument('<folder...>', 'folders to import, searched recursively')
    .option('--library <dir>', 'library folder')
    .option('--json', 'print one JSON document on stdout')
    .action(async (folders: string[], _opts: unknown, command: Command) => {
      await runCommand(
        command,
        (options) => runImport(folders, options.json, options),
        formatImport,
      )
    })
}

async function runImport(
  folders: string[],
  json: boolean,
  options: { library?: string; json: boolean },
): Promise<ImportResult> {
  return withLibrary(options, async (lib) => {
    const release = acquireJobLock(lib.dir)
    const reporter = createProgressReporter({ json })
    const stages = trackStages('import', reporter.report)
    // Ctrl-C (or a kill) stops the import cleanly: what was imported so far is kept.
    const controller = new AbortController()
    const stopListening = onStopSignal(() =>
      controller.abort(new Error('Import cancelled; the photos read so far were saved.')),
    )
    try {
      const summary = await importFolders(lib, folders, {
        signal: controller.signal,
        onProgress: (stage, done, total) => stages.update(stage, done, total),
      })
      stages.finish()
      return { library: lib.dir, ...summary }
    } finally {
      reporter.stop()
      stopListening()
      release()
    }
  })
}

function formatImport(result: ImportResult): string {
  const processed = result.imported + result.updated + result.failed.length
  const rate = result.seconds > 0 ? processed / result.seconds : 0
  const lines = [
    `Imported ${result.imported} new photo${result.imported === 1 ? '' : 's'} into ${result.library} in ${formatSeconds(result.seconds)} (${rate.toFixed(1)} files/s)`,
    table([
      ['new', result.imported],
      ['updated', result.updated],
      ['unchanged (skipped)', result.unchanged],
      ['moved or renamed', result.moved],
      ['exact duplicates', result.duplicates],
      ['missing from disk', result.missing],
      ['not photos (ignored)', result.ignored],
      ['failed', result.failed.length],
    ]),
  ]
  if (result.failed.length > 0) {
    lines.push('Could not import:')
    for (const failure of result.failed) {
      lines.push(`  ${readablePath(failure.path)}\n    ${failure.error}`)
    }
  }
  return lines.join('\n')
}
