import type { Command } from 'commander'
import type { ClusterId, ClusterMember, ClusterSort, UnsortedReason } from '../../shared/contract'
import { checkedArgs, withEngine, type Engine } from '../output/engine'
import { GroupNames, lookalikesOf, photoPaths } from '../output/groups'
import { shortPath } from '../output/paths'
import { runCommand } from '../output/run'

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

interface ClustersOutput {
  runId: number | null
  groups: {
    id: number
    name: string
    named: boolean
    size: number
    meanConfidence: number
    prototypes: string[]
    /** Groups that may be the same kind (clusters.lookalikes), most alike first. */
    looksLike: number[]
    members: MemberOut[]
  }[]
  unsorted: { count: number; members: MemberOut[] }
}

/** The most members one clusters.members call returns (the contract's limit). */
const PAGE = 10_000
/** Below this confidence the text output names the runner-up group. */
const LOW_CONFIDENCE = 0.9

function unsortedLine(m: MemberOut, names: GroupNames): string {
  const reason = m.unsortedReason ? REASONS[m.unsortedReason] : ''
  const closest =
    m.unsortedReason === 'no-fit' && m.runnerUp !== null
      ? ` (closest: ${names.name(m.runnerUp)})`
      : ''
  return `  ${shortPath(m.path)}  ${reason}${closest}`.trimEnd()
}

function formatClusters(out: ClustersOutput): string {
  if (out.runId === null)
    return `No groups yet: run \`kindred organize <folder>\` first. ${out.unsorted.count} photos unsorted.`
  const names = new GroupNames(out.groups)
  const lines: string[] = []
  for (const g of out.groups) {
    const alike = g.looksLike.map((id) => names.name(id)).join(', ')
    lines.push(
      `${g.name}: ${g.size} photos, mean confidence ${g.meanConfidence.toFixed(3)}` +
        (alike ? `; looks like ${alike}` : ''),
    )
    for (const m of g.members) {
      const flags = [
        m.source === 'user' ? 'placed by you' : '',
        m.runnerUp !== null && m.confidence < LOW_CONFIDENCE
          ? `runner-up: ${names.name(m.runnerUp)}`
          : '',
      ]
      lines.push(
        `  ${m.confidence.toFixed(3)}  ${shortPath(m.path)}  ${flags.filter(Boolean).join(', ')}`.trimEnd(),
      )
    }
  }
  lines.push(`Unsorted: ${out.unsorted.count} photos`)
  for (const m of out.unsorted.members) lines.push(unsortedLine(m, names))
  return lines.join('\n')
}

/** Every member of a group (null: Unsorted), most confident first, with its path. */
async function members(engine: Engine, clusterId: ClusterId | null): Promise<MemberOut[]> {
  const all: ClusterMember[] = []
  for (let offset = 0; ; offset += PAGE) {
    const page = await engine.invoke('clusters.members', { clusterId, offset, limit: PAGE })
    all.push(...page.members)
    if (page.members.length < PAGE) break
  }
  const paths = await photoPaths(
    engine,
    all.map((m) => m.photoId),
  )
  return all.map((m, i) => ({
    photoId: m.photoId,
    path: paths[i]!,
    confidence: m.confidence,
    runnerUp: m.runnerUp,
    source: m.source,
    unsortedReason: m.unsortedReason,
  }))
}

async function listClusters(engine: Engine, sort: ClusterSort): Promise<ClustersOutput> {
  const list = await engine.invoke('clusters.list', { sort })
  const looksLike = await lookalikesOf(engine)
  const groups: ClustersOutput['groups'] = []
  for (const g of list.clusters) {
    groups.push({
      id: g.id,
      name: g.name,
      named: g.named,
      size: g.size,
      meanConfidence: g.meanConfidence,
      prototypes: await photoPaths(engine, g.prototypes),
      looksLike: looksLike(g.id),
      members: await members(engine, g.id),
    })
  }
  const unsorted = { count: list.unsorted, members: await members(engine, null) }
  return { runId: list.runId, groups, unsorted }
}

export function register(program: Command): void {
  program
    .command('clusters')
    .description('the groups of the current run and their members, most confident first')
    .option('--sort <by>', 'order of the groups: size, confidence or name', 'size')
    .action(async (opts: { sort: string }, command: Command) => {
      await runCommand(
        command,
        (global) => {
          const { sort } = checkedArgs('clusters.list', opts, { sort: '--sort' })
          return withEngine(global, (engine) => listClusters(engine, sort), { existing: true })
        },
        formatClusters,
      )
    })
}
