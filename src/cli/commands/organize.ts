import path from 'node:path'
import type { Command } from 'commander'
import type { ComputeBackend, EmbedderInfo } from '../../shared/contract'
import type { ImportSummary, JobSummary, Stage } from '../../shared/jobs'
import { checkedArgs, numberOrText, withEngine } from '../output/engine'
import { embedderLine, GroupNames, lookalikesOf, photoPaths } from '../output/groups'
import { learntFrom } from '../output/format'
import { followJobs, JobsCancelled } from '../output/jobs'
import { shortPath } from '../output/paths'
import { CliError } from '../output/print'
import { runCommand } from '../output/run'

/** `--clusters K|auto` and `--seed N` as given: the contract's schema judges them. */
export const clustersArg = (value: string): number | string =>
  value === 'auto' ? 'auto' : numberOrText(value)
export const seedArg = numberOrText

interface OrganizeOutput {
  backend: ComputeBackend
  device: string
  embedder: EmbedderInfo | null
  jobId: number
  runId: number
  imported: ImportSummary | null
  /** Photos training learnt from, and burst shots grouped without being learnt from. */
  learnt: JobSummary['learnt'] | null
  seconds: Partial<Record<Stage, number>>
  groups: {
    id: number
    name: string
    size: number
    meanConfidence: number
    prototypes: string[]
    /** Groups that may be the same kind, most alike first. */
    looksLike: number[]
  }[]
  unsorted: number
}

function formatOrganize(out: OrganizeOutput): string {
  const lines = [embedderLine(out.embedder), `Training on ${out.backend} (${out.device})`]
  if (out.imported) {
    const i = out.imported
    lines.push(
      `Imported ${i.imported} new, ${i.unchanged} unchanged, ${i.failed.length} unreadable.`,
    )
  }
  const learnt = learntFrom(out.learnt)
  if (learnt) lines.push(`Learnt from ${learnt}.`)
  lines.push(`${out.groups.length} groups, ${out.unsorted} unsorted:`)
  const names = new GroupNames(out.groups)
  for (const g of out.groups) {
    const alike = g.looksLike.map((id) => names.name(id)).join(', ')
    lines.push(
      `  ${g.name}: ${g.size} photos, mean confidence ${g.meanConfidence.toFixed(3)}` +
        (alike ? `; looks like ${alike}` : ''),
      `      ${g.prototypes.map(shortPath).join(', ')}`,
    )
  }
  return lines.join('\n')
}

export function register(program: Command): void {
  program
    .command('organize')
    .description(
      'import folders, then embed, find neighbours, train SCAN + self-label and group the photos',
    )
    .argument('<folder...>', 'photo folders to import first')
    .option('--clusters <K|auto>', 'number of groups, or auto', 'auto')
    .option('--seed <n>', 'random seed (same seed, same groups)', '0')
    .action(
      async (folders: string[], opts: { clusters: string; seed: string }, command: Command) => {
        await runCommand(
          command,
          (global) => {
            const args = checkedArgs(
              'organize.start',
              {
                clusters: clustersArg(opts.clusters),
                seed: seedArg(opts.seed),
                folders: folders.map((f) => path.resolve(f)),
              },
              { clusters: '--clusters', seed: '--seed' },
            )
            return withEngine(global, async (engine): Promise<OrganizeOutput> => {
              let job
              try {
                // The same command after an interruption resumes the job where it stopped.
                ;[job] = await followJobs(engine, global.json, async () => [
                  (await engine.invoke('organize.start', args)).jobId,
                ])
              } catch (error) {
                if (!(error instanceof JobsCancelled)) throw error
                throw new CliError(
                  'Cancelled. Run the same command again to resume where it stopped.',
                  130,
                )
              }
              const { summary, jobId, seconds } = job!
              const list = await engine.invoke('clusters.list', { sort: 'size' })
              const looksLike = await lookalikesOf(engine)
              const groups = []
              for (const g of list.clusters) {
                const { prototypes: _ids, named: _named, ...group } = g
                const prototypes = await photoPaths(engine, g.prototypes)
                groups.push({ ...group, prototypes, looksLike: looksLike(g.id) })
              }
              return {
                backend: summary.backend!,
                device: summary.device!,
                embedder: summary.embedder ?? null,
                jobId,
                runId: summary.runId!,
                imported: summary.imported ?? null,
                learnt: summary.learnt ?? null,
                seconds,
                groups,
                unsorted: list.unsorted,
              }
            })
          },
          formatOrganize,
        )
      },
    )
}
