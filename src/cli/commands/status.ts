import type { Command } from 'commander'
import type { FailedPhoto, LibrarySummary } from '../../shared/contract'
import type { JobSummary } from '../../shared/jobs'
import { withEngine, type Engine } from '../output/engine'
import { formatBytes, learntFrom, table } from '../output/format'
import { formatSeconds } from '../output/progress'
import { runCommand } from '../output/run'

/** The groups there are, and the last organize job that finished (null if it is not known). */
interface Organized {
  groups: number
  unsorted: number
  lastRun: {
    finishedAt: number
    seconds: number | null
    learnt: JobSummary['learnt'] | null
  } | null
}

type StatusResult = LibrarySummary & {
  failures: { total: number; items: FailedPhoto[] }
  /** Null until the library is organized. */
  organized: Organized | null
}

/** How many failures `status` lists by name (all of them are counted). */
const FAILURES_SHOWN = 20
/** The most failures one library.failures call returns (the contract's limit). */
const PAGE = 10_000

/** The library's groups and its last finished organize job, as the app shows them. */
async function organized(engine: Engine): Promise<Organized | null> {
  const { runId, clusters, unsorted } = await engine.invoke('clusters.list', { sort: 'size' })
  if (runId === null) return null
  const jobs = await engine.invoke('jobs.list', {})
  const last = jobs.find((j) => j.kind === 'organize' && j.state === 'done')
  return {
    groups: clusters.length,
    unsorted,
    lastRun: last
      ? {
          finishedAt: last.updatedAt,
          seconds: last.seconds,
          learnt: last.summary?.learnt ?? null,
        }
      : null,
  }
}

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
              organized: await organized(engine),
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
  lines.push(organizedLine(status))
  if (status.failures.total > 0) {
    lines.push(`Failed (${status.failures.total}):`)
    for (const item of status.failures.items) lines.push(`  ${item.path}\n    ${item.error}`)
    const more = status.failures.total - status.failures.items.length
    if (more > 0) lines.push(`  … and ${more} more (all are listed with --json)`)
  }
  return lines.join('\n')
}

/** "12 groups and 30 photos in Unsorted, organized <when> in 2m05s" and what it learnt from. */
function organizedLine({ organized, photos }: StatusResult): string {
  if (!organized)
    return photos.ok > 0 ? 'Not organized yet: run `kindred organize`.' : 'Not organized yet.'
  const { groups, unsorted, lastRun } = organized
  let line = `${groups} group${groups === 1 ? '' : 's'} and ${unsorted} photo${unsorted === 1 ? '' : 's'} in Unsorted`
  if (lastRun) {
    line += `, organized ${new Date(lastRun.finishedAt).toLocaleString()}`
    if (lastRun.seconds !== null) line += ` in ${formatSeconds(lastRun.seconds)}`
    const learnt = learntFrom(lastRun.learnt)
    if (learnt) line += `\n  learnt from ${learnt}`
  }
  return line
}
