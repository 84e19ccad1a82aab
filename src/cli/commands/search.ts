import path from 'node:path'
import type { Command } from 'commander'
import type { ClusterId, ClusterSummary, FolderInfo } from '../../shared/contract'
import { checkedArgs, numberOrText, withEngine, type Engine } from '../output/engine'
import { GroupNames, photoPaths } from '../output/groups'
import { shortPath } from '../output/paths'
import { CliError } from '../output/print'
import { runCommand } from '../output/run'

interface SearchOptions {
  group?: string
  folder?: string
  from?: string
  to?: string
  doubtful?: boolean
  limit: string
}

interface SearchOutput {
  total: number
  photos: {
    photoId: number
    path: string
    clusterId: ClusterId | null
    /** The group's name; null for Unsorted. */
    group: string | null
    confidence: number
    doubtful: boolean
    takenAt: number | null
  }[]
}

/** A day as local midnight; `nextDay` gives the end of it, for an inclusive `--to`. */
function parseDate(option: string, value: string, nextDay = false): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim())
  const date = match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null
  if (!date || date.getMonth() !== Number(match![2]) - 1)
    throw new CliError(`${option}: "${value}" is not a date; write it as YYYY-MM-DD.`)
  if (nextDay) date.setDate(date.getDate() + 1)
  return date.getTime()
}

/** `--group` by name (any case), "unsorted", or an id where two groups share a name. */
function groupId(groups: ClusterSummary[], wanted: string): ClusterId | null {
  if (wanted.trim().toLowerCase() === 'unsorted') return null
  const byName = groups.filter((g) => g.name.toLowerCase() === wanted.trim().toLowerCase())
  if (byName.length === 1) return byName[0]!.id
  if (byName.length > 1) {
    const which = byName.map((g) => `${g.name} (id ${g.id})`).join(', ')
    throw new CliError(`--group: several groups are called "${wanted}": ${which}; give the id.`)
  }
  const byId = groups.find((g) => String(g.id) === wanted.trim())
  if (byId) return byId.id
  const known = groups.map((g) => g.name).join(', ') || 'none yet'
  throw new CliError(`--group: there is no group "${wanted}" (groups: ${known}, or Unsorted).`)
}

/** `--folder`: one of the library's photo folders, by its path. */
function folderId(folders: FolderInfo[], wanted: string): number {
  const absolute = path.resolve(wanted)
  const found = folders.find((f) => f.path === absolute)
  if (found) return found.id
  const known = folders.map((f) => f.path).join(', ') || 'none yet'
  throw new CliError(`--folder: ${absolute} is not one of the library's folders (${known}).`)
}

async function search(engine: Engine, words: string[], opts: SearchOptions): Promise<SearchOutput> {
  const { clusters } = await engine.invoke('clusters.list', { sort: 'name' })
  const folders = opts.folder ? (await engine.invoke('library.summary', {})).folders : []
  const query = checkedArgs(
    'photos.search',
    {
      ...(words.length > 0 ? { text: words.join(' ') } : {}),
      ...(opts.group !== undefined ? { clusterId: groupId(clusters, opts.group) } : {}),
      ...(opts.folder !== undefined ? { folderId: folderId(folders, opts.folder) } : {}),
      ...(opts.from !== undefined ? { takenFrom: parseDate('--from', opts.from) } : {}),
      ...(opts.to !== undefined ? { takenTo: parseDate('--to', opts.to, true) } : {}),
      ...(opts.doubtful ? { doubtful: true } : {}),
      offset: 0,
      limit: numberOrText(opts.limit),
    },
    { limit: '--limit', text: 'text' },
  )
  const found = await engine.invoke('photos.search', query)
  const names = new GroupNames(clusters)
  const paths = await photoPaths(
    engine,
    found.photos.map((p) => p.photoId),
  )
  return {
    total: found.total,
    photos: found.photos.map((p, i) => ({
      photoId: p.photoId,
      path: paths[i]!,
      clusterId: p.clusterId,
      group: p.clusterId === null ? null : names.name(p.clusterId),
      confidence: p.confidence,
      doubtful: p.doubtful,
      takenAt: p.takenAt,
    })),
  }
}

function day(takenAt: number | null): string {
  if (takenAt === null) return '(no date)'.padEnd(10)
  const d = new Date(takenAt)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

function formatSearch(out: SearchOutput): string {
  if (out.total === 0) return 'No photos found.'
  const shown = out.photos.length < out.total ? `, the first ${out.photos.length} shown` : ''
  const lines = [`${out.total} photo${out.total === 1 ? '' : 's'} found${shown}:`]
  for (const p of out.photos) {
    const place = p.group === null ? 'Unsorted' : `${p.group} (${p.confidence.toFixed(2)})`
    lines.push(
      `  ${day(p.takenAt)}  ${shortPath(p.path)}  ${place}${p.doubtful ? ', doubtful' : ''}`,
    )
  }
  return lines.join('\n')
}

export function register(program: Command): void {
  program
    .command('search')
    .description('find photos by words in their file or folder names, group, folder and date')
    .argument('[text...]', 'words that must all appear in the file name or its folders')
    .option('--group <name>', 'only this group (its name, or "unsorted")')
    .option('--folder <dir>', 'only photos from this library folder')
    .option('--from <YYYY-MM-DD>', 'taken on or after this day')
    .option('--to <YYYY-MM-DD>', 'taken on or before this day')
    .option('--doubtful', 'only photos the model was unsure of, least sure first')
    .option('--limit <n>', 'show at most this many', '100')
    .option('--library <dir>', 'library folder')
    .option('--json', 'print one JSON document on stdout')
    .action(async (words: string[], opts: SearchOptions, command: Command) => {
      await runCommand(
        command,
        (global) => withEngine(global, (engine) => search(engine, words, opts), { existing: true }),
        formatSearch,
      )
    })
}
