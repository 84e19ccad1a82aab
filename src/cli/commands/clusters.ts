import { Option, type Command } from 'commander'
import type { ClusterSort, UnsortedReason } from '../../shared/contract'
import { openLibrary, resolveLibraryDir } from '../../core/store/library'
import { listGroups, listMembers, photoPaths } from '../../core/clusters'
import { runCommand } from '../output/run'
import { shortPath } from './organize'

interface MemberOut {
  photoId: number
  path: string
  confidence: number
  runnerUp: number | null
  source: 'model' | 'user'
  /** Why an Unsorted photo is there (null for group members). */
  unsortedReason: UnsortedReason | null
}

const REASONS: Record<UnsortedReason, string> = {
  'no-fit': "doesn't look like any group",
  moved: 'moved here by you',
  'not-organized': 'not organized yet',
}

function unsortedLine(m: MemberOut): string {
  const reason = m.unsortedReason ? REASONS[m.unsortedReason] : ''
  const closest =
    m.unsortedReason === 'no-fit' && m.runnerUp !== null ? ` (closest #${m.runnerUp})` : ''
  return `  ${shortPath(m.path)}  ${reason}${closest}`.trimEnd()
}

interface ClustersOutput {
  runId: number | null
  groups: {
    id: number
    name: string
    named: boolean
    size: number
    meanConfidence: number
    prototypes: string[]
    members: MemberOut[]
  }[]
  unsorted: { count: number; members: MemberOut[] }
}

const ALL = Number.MAX_SAFE_INTEGER
/** Below this confidence the text output names the runner-up group. */
const LOW_CONFIDENCE = 0.9

function formatClusters(out: ClustersOutput): string {
  if (out.runId === null)
    return `No groups yet: run \`kindred organize <folder>\` first. ${out.unsorted.count} photos unsorted.`
  const lines: string[] = []
  for (const g of out.groups) {
    lines.push(
      `#${g.id} ${g.name}: ${g.size} photos, mean confidence ${g.meanConfidence.toFixed(3)}`,
    )
    for (const m of g.members) {
      const flags = [
        m.source === 'user' ? 'placed by you' : '',
        m.runnerUp !== null && m.confidence < LOW_CONFIDENCE ? `runner-up #${m.runnerUp}` : '',
      ]
      lines.push(
        `  ${m.confidence.toFixed(3)}  ${shortPath(m.path)}  ${flags.filter(Boolean).join(', ')}`.trimEnd(),
      )
    }
  }
  lines.push(`Unsorted: ${out.unsorted.count} photos`)
  for (const m of out.unsorted.members) lines.push(unsortedLine(m))
  return lines.join('\n')
}

export function register(program: Command): void {
  program
    .command('clusters')
    .description('the groups of the current run and their members, most confident first')
    .addOption(
      new Option('--sort <by>', 'order of the groups')
        .choices(['size', 'confidence', 'name'])
        .default('size'),
    )
    .action(async (opts: { sort: ClusterSort }, command: Command) => {
      await runCommand(
        command,
        (global): ClustersOutput => {
          const lib = openLibrary(resolveLibraryDir(global.library))
          try {
            const members = (clusterId: number | null): MemberOut[] => {
              const page = listMembers(lib.db, clusterId, 0, ALL).members
              const paths = photoPaths(
                lib.db,
                page.map((m) => m.photoId),
              )
              return page.map((m, i) => ({
                photoId: m.photoId,
                path: paths[i]!,
                confidence: m.confidence,
                runnerUp: m.runnerUp,
                source: m.source,
                unsortedReason: m.unsortedReason,
              }))
            }
            const list = listGroups(lib.db, opts.sort)
            return {
              runId: list.runId,
              groups: list.clusters.map((g) => ({
                id: g.id,
                name: g.name,
                named: g.named,
                size: g.size,
                meanConfidence: g.meanConfidence,
                prototypes: photoPaths(lib.db, g.prototypes),
                members: members(g.id),
              })),
              unsorted: { count: list.unsorted, members: members(null) },
            }
          } finally {
            lib.close()
          }
        },
        formatClusters,
      )
    })
}
