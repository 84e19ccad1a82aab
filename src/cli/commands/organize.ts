import path from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { openLibrary, resolveLibraryDir } from '../../core/store/library'
import { organize, organizeParams, type OrganizeResult } from '../../core/pipeline'
import { photoPaths } from '../../core/clusters'
import { isAbort } from '../../core/jobs'
import { createProgressReporter } from '../output/progress'
import { runCommand } from '../output/run'
import { CliError } from '../output/print'
import { readablePath } from '../../core/library/paths'

/** `--clusters K|auto`. */
export function parseClusters(value: string): number | 'auto' {
  if (value === 'auto') return 'auto'
  const k = Number(value)
  if (!Number.isInteger(k) || k < 2)
    throw new InvalidArgumentError('use a whole number of groups (2 or more) or "auto".')
  return k
}

export function parseSeed(value: string): number {
  const seed = Number(value)
  if (!Number.isInteger(seed) || seed < 0)
    throw new InvalidArgumentError('use a whole number (0 or more).')
  return seed
}

/** Aborts on Ctrl+C (the job stops at the next checkpoint and can be resumed). */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    },
  }
}

interface OrganizeOutput {
  backend: string
  device: string
  embedder: OrganizeResult['embedder']
  jobId: number
  runId: number
  imported: OrganizeResult['imported']
  seconds: OrganizeResult['seconds']
  groups: { id: number; name: string; size: number; meanConfidence: number; prototypes: string[] }[]
  unsorted: number
}

/** A photo as `folder/file.jpg`: enough to recognise it in a list. */
/** "folder/name.jpg", readable even for a name that is not UTF-8. */
export function shortPath(file: string): string {
  const readable = readablePath(file)
  return path.join(path.basename(path.dirname(readable)), path.basename(readable))
}

/** Which runtime, provider and device described the photos (or that none needed it). */
export function embedderLine(embedder: OrganizeResult['embedder']): string {
  if (!embedder) return 'Describing photos: every photo was already described'
  const runtime = embedder.runtime === 'onnxruntime' ? 'ONNX Runtime' : 'TF.js'
  return `Describing photos on ${runtime} ${embedder.provider} (${embedder.device})`
}

function formatOrganize(out: OrganizeOutput): string {
  const lines = [embedderLine(out.embedder), `Training on ${out.backend} (${out.device})`]
  if (out.imported) {
    const i = out.imported
    lines.push(
      `Imported ${i.imported} new, ${i.unchanged} unchanged, ${i.failed.length} unreadable.`,
    )
  }
  lines.push(`${out.groups.length} groups, ${out.unsorted} unsorted:`)
  for (const g of out.groups) {
    lines.push(
      `  #${g.id} ${g.name}: ${g.size} photos, mean confidence ${g.meanConfidence.toFixed(3)}`,
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
    .option(
      '--clusters <K|auto>',
      'number of groups, or auto',
      parseClusters,
      'auto' as number | 'auto',
    )
    .option('--seed <n>', 'random seed (same seed, same groups)', parseSeed, 0)
    .action(
      async (
        folders: string[],
        opts: { clusters: number | 'auto'; seed: number },
        command: Command,
      ) => {
        await runCommand(
          command,
          async (global): Promise<OrganizeOutput> => {
            const lib = openLibrary(resolveLibraryDir(global.library))
            const progress = createProgressReporter({ json: global.json })
            const interrupt = interruptSignal()
            try {
              const params = organizeParams({
                folders: folders.map((f) => path.resolve(f)),
                clusters: opts.clusters,
                seed: opts.seed,
              })
              const result = await organize(lib, params, {
                signal: interrupt.signal,
                onProgress: progress.report,
              })
              return {
                backend: result.backend,
                device: result.device,
                embedder: result.embedder,
                jobId: result.jobId,
                runId: result.runId,
                imported: result.imported,
                seconds: result.seconds,
                groups: result.groups.clusters.map((g) => ({
                  id: g.id,
                  name: g.name,
                  size: g.size,
                  meanConfidence: g.meanConfidence,
                  prototypes: photoPaths(lib.db, g.prototypes),
                })),
                unsorted: result.groups.unsorted,
              }
            } catch (error) {
              if (isAbort(error, interrupt.signal)) {
                throw new CliError(
                  'Cancelled. Run the same command again to resume where it stopped.',
                  130,
                )
              }
              throw error
            } finally {
              progress.stop()
              interrupt.dispose()
              lib.close()
            }
          },
          formatOrganize,
        )
      },
    )
}
