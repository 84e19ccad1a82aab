import type { Command } from 'commander'
import type { FailedPhoto, LibrarySummary } from '../../shared/contract'
import { withEngine, type Engine } from '../output/engine'
import { formatBytes, table } from '../output/format'
import { runCommand } from '../output/run'

type StatusResult = LibrarySummary & { failures: { total: number; items: FailedPhoto[] } }

/** How many failures `status` lists by name (all of them are counted). */
const FAILURES_SHOWN = 20
/** The most failures one library.failures call returns (the contract's limit). */
const PAGE = 10_000

/** The first `wanted` failures (all of them when it is Infinity), and how many there are. */
async function failures(engine: Engine, wanted: number): Promise<StatusResult['failures']> {
  const items: FailedPhoto[] = []
  let total = 0
  do {
    const limit = Math.min(PAGE, wanted - items.length)
    const page = await engine.invoke('library.failures', { offset: items.length, limit })
    total = page.total
    items.push(...page.items)
    if (page.items.length < limit) break
  } while (items.length < Math.min(total, wanted))
  return { total, items }
}

export function register(program: Command): void {
  program
    .command('status')
    .description('show the library: photos per state, source folders, size')
    .option('--library <dir>', 'library folder')
    .option('--json', 'print one JSON document on stdout')
    .action(async (_opts: unknown, command: Command) => {
      await runCommand(
        command,
        (options) =>
          withEngine(
            options,
            async (engine) => ({
              ...(await engine.invoke('library.summary', {})),
              // Scripts get every failure.
              failures: await failures(engine, options.json ? Infinity : FAILURES_SHOWN),
            }),
            { existing: true },
          ),
        formatStatus,
      )
    })
}

function formatStatus(status: StatusResult): string {
  const lines = [
    `Library ${status.dir} (${formatBytes(status.bytes)})`,
    table([
      ['photos', status.photos.ok],
      ['exact duplicates', status.photos.duplicates],
      ['failed', status.photos.failed],
      ['missing from disk', status.photos.missing],
    ]),
    status.folders.length === 0
      ? 'No source folders yet: run `kindred import <folder>`.'
      : 'Folders:',
  ]
  for (const folder of status.folders) {
    const scanned = folder.lastScanAt ? new Date(folder.lastScanAt).toLocaleString() : 'never'
    lines.push(`  ${folder.path}  (${folder.photoCount} photos, last scanned ${scanned})`)
  }
  if (status.failures.total > 0) {
    lines.push(`Failed (${status.failures.total}):`)
    for (const item of status.failures.items) lines.push(`  ${item.path}\n    ${item.error}`)
    const more = status.failures.total - status.failures.items.length
    if (more > 0) lines.push(`  … and ${more} more (all are listed with --json)`)
  }
  return lines.join('\n')
}
