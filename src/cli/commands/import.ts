import path from 'node:path'
import type { Command } from 'commander'
import type { ImportSummary } from '../../shared/jobs'
import { checkedArgs, withEngine } from '../output/engine'
import { table } from '../output/format'
import { followJobs, JobsCancelled } from '../output/jobs'
import type { GlobalOptions } from '../output/options'
import { CliError } from '../output/print'
import { displayPath } from '../output/paths'
import { formatSeconds } from '../output/progress'
import { runCommand } from '../output/run'

/** What `import` prints; `assigned` is null when the library has no groups yet. */
type ImportResult = ImportSummary & { library: string; assigned: number | null }

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'import (or re-import) the photos in one or more folders; in an organized library, new photos go into the existing groups',
    )
    .argument('<folder...>', 'folders to import, searched recursively')
    .option('--library <dir>', 'library folder')
    .option('--json', 'print one JSON document on stdout')
    .action(async (folders: string[], _opts: unknown, command: Command) => {
      await runCommand(command, (options) => runImport(folders, options), formatImport)
    })
}

function runImport(folders: string[], options: GlobalOptions): Promise<ImportResult> {
  const args = checkedArgs('library.import', { paths: folders.map((f) => path.resolve(f)) })
  return withEngine(options, async (engine) => {
    try {
      const [imported, assigned] = await followJobs(engine, options.json, async () => {
        const started = await engine.invoke('library.import', args)
        return [started.jobId, started.assignJobId]
      })
      return {
        library: engine.libraryDir,
        ...imported!.summary.imported!,
        assigned: assigned ? (assigned.summary.assigned ?? 0) : null,
      }
    } catch (error) {
      if (!(error instanceof JobsCancelled)) throw error
      // Ctrl+C (or a kill) stops the import cleanly: what was imported so far is kept.
      throw new CliError(
        error.finished.length === 0
          ? 'Import cancelled; the photos read so far were saved.'
          : 'Imported; putting the new photos into groups was cancelled (the next import or organize does it).',
      )
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
  if (result.assigned !== null)
    lines.push(`Assigned ${result.assigned} photo${result.assigned === 1 ? '' : 's'} to groups.`)
  if (result.failed.length > 0) {
    lines.push('Could not import:')
    for (const failure of result.failed) {
      lines.push(`  ${displayPath(failure.path)}\n    ${failure.error}`)
    }
  }
  return lines.join('\n')
}
