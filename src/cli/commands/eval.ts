import type { Command } from 'commander'
import { evaluateFolder, type EvalReport } from '../../core/pipeline'
import { isAbort } from '../../core/jobs'
import type { GroupingScore } from '../../core/ml/metrics'
import { checkedArgs } from '../output/engine'
import { embedderLine } from '../output/groups'
import { createProgressReporter } from '../output/progress'
import { runCommand } from '../output/run'
import { CliError } from '../output/print'
import { onStopSignal } from '../output/signals'
import { clustersArg, seedArg } from './organize'

const score = (s: GroupingScore) =>
  `ACC ${s.acc.toFixed(3)}  NMI ${s.nmi.toFixed(3)}  ARI ${s.ari.toFixed(3)}  ` +
  `purity ${s.purity.toFixed(3)}  fix ${s.fixCost.per100.toFixed(1)}/100 photos ` +
  `(${s.fixCost.moves} moves, ${s.fixCost.merges} merges)`

function formatEval(r: EvalReport): string {
  const s = r.seconds
  return [
    `${r.n} photos, K = ${r.k}, model ${r.model}, training on ${r.backend}`,
    embedderLine(r.embedder),
    `  k-means            ${score(r.kmeans)}`,
    `  SCAN               ${score(r.scan)}`,
    `  SCAN + self-label  ${score(r.selflabel)}`,
    'fix: photos to move plus groups to merge to reach the folders, per 100 photos',
    `Seconds: import ${s.import.toFixed(1)}, embed ${s.embed.toFixed(1)}, neighbours ${s.neighbours.toFixed(1)}, ` +
      `SCAN ${s.scan.toFixed(1)}, self-label ${s.selflabel.toFixed(1)}`,
  ].join('\n')
}

export function register(program: Command): void {
  program
    .command('eval')
    .description(
      'score the pipeline on a folder whose sub-folders are the classes (in a temporary library)',
    )
    .argument('<labelled-folder>', 'folder with one sub-folder per class')
    .option('--clusters <K|auto>', 'number of groups (default: the number of classes)')
    .option('--seed <n>', 'random seed', '0')
    .action(async (folder: string, opts: { clusters?: string; seed: string }, command: Command) => {
      await runCommand(
        command,
        async (global) => {
          // The same rules as organize's (the contract's schema).
          const { clusters, seed } = checkedArgs(
            'organize.start',
            { clusters: clustersArg(opts.clusters ?? 'auto'), seed: seedArg(opts.seed) },
            { clusters: '--clusters', seed: '--seed' },
          )
          const progress = createProgressReporter({ json: global.json })
          const interrupt = new AbortController()
          const stopListening = onStopSignal(() => interrupt.abort())
          try {
            return await evaluateFolder(folder, {
              clusters: opts.clusters === undefined ? undefined : clusters,
              seed,
              signal: interrupt.signal,
              onProgress: progress.report,
            })
          } catch (error) {
            if (isAbort(error, interrupt.signal)) throw new CliError('Cancelled.', 130)
            throw error
          } finally {
            progress.stop()
            stopListening()
          }
        },
        formatEval,
      )
    })
}
