import { InvalidArgumentError, type Command } from 'commander'
import type { DuplicatePhoto, DuplicateReport } from '../../shared/contract'
import { withEngine, type Engine } from '../output/engine'
import { runCommand } from '../output/run'

interface PhotoOut extends DuplicatePhoto {
  path: string
}

interface DuplicatesOutput extends Omit<DuplicateReport, 'sets' | 'hidden'> {
  sets: { keeper: number; similarity: number; photos: PhotoOut[] }[]
  hidden: PhotoOut[]
}

function parseThreshold(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError('Give a similarity between 0.5 and 1, e.g. 0.9.')
  return n
}

function photoLine(p: PhotoOut, keeper: number): string {
  const size = p.width && p.height ? `${p.width}×${p.height}` : 'size unknown'
  const sharp = p.sharpness === null ? '' : `, sharpness ${p.sharpness.toFixed(2)}`
  const mark = p.photoId === keeper ? 'keep ' : p.hidden ? 'hidden' : '      '
  return `  ${mark} ${p.path}  (${size}${sharp})`
}

function formatDuplicates(out: DuplicatesOutput): string {
  if (!out.ready)
    return 'No similarities yet: run `kindred organize <folder>` first, then look for near duplicates.'
  const photos = out.sets.reduce((n, s) => n + s.photos.length, 0)
  const lines = [
    `Near duplicates at similarity ≥ ${out.threshold} (default ${out.defaultThreshold}): ` +
      `${out.sets.length} sets, ${photos} photos; ${out.hidden.length} hidden in the library`,
  ]
  out.sets.forEach((s, i) => {
    lines.push(`Set ${i + 1}, linked at ${s.similarity.toFixed(3)}:`)
    for (const p of s.photos) lines.push(photoLine(p, s.keeper))
  })
  return lines.join('\n')
}

/** Runs the engine's `duplicates.find`, as the app and browser mode do, and adds each path. */
async function findDuplicates(engine: Engine, threshold?: number): Promise<DuplicatesOutput> {
  const report = await engine.invoke(
    'duplicates.find',
    threshold === undefined ? {} : { threshold },
  )
  const withPath = async (p: DuplicatePhoto): Promise<PhotoOut> => ({
    ...p,
    path: (await engine.invoke('photos.details', { photoId: p.photoId })).path,
  })
  const all = async (list: DuplicatePhoto[]) => Promise.all(list.map(withPath))
  return {
    ...report,
    sets: await Promise.all(report.sets.map(async (s) => ({ ...s, photos: await all(s.photos) }))),
    hidden: await all(report.hidden),
  }
}

export function register(program: Command): void {
  program
    .command('duplicates')
    .description(
      'near-duplicate photos (bursts, re-saves, small crops), the suggested keeper first',
    )
    .option(
      '--threshold <similarity>',
      "photos at least this similar (0.5 to 1) are near duplicates; default: the app's",
      parseThreshold,
    )
    .action(async (opts: { threshold?: number }, command: Command) => {
      await runCommand(
        command,
        (global) =>
          withEngine(global, (engine) => findDuplicates(engine, opts.threshold), {
            existing: true,
          }),
        formatDuplicates,
      )
    })
}
