/** An organized library over real Caltech photos, with its engine watching the photo folder. */
import fs from 'node:fs'
import path from 'node:path'
import { Engine, type EngineOptions } from '../../src/core/engine/engine'
import type { EngineEvent, WatchReport } from '../../src/shared/contract'
import { jobEnd } from '../engine/fixtures'
import { sharedDir, sharedPath } from '../helpers/shared'

/** Quick batches for tests, with room for a loaded machine: a batch ends after 1 s of quiet. */
export const FAST = { quietMs: 1_000, stabilityMs: 300 }

/** The `index`-th photo (sorted by name) of a Caltech class. */
export function caltechPhoto(label: string, index: number): string {
  const files = fs
    .readdirSync(sharedPath('datasets', 'caltech20', label))
    .filter((f) => /\.jpe?g$/i.test(f))
    .sort()
  return sharedPath('datasets', 'caltech20', label, files[index]!)
}

/** Copies photos `from`..`to` (exclusive) of each class into `dir` as `<class>-<n>.jpg`. */
export function copyClassPhotos(dir: string, labels: string[], from: number, to: number): void {
  for (const label of labels) {
    for (let i = from; i < to; i++) {
      fs.copyFileSync(caltechPhoto(label, i), path.join(dir, `${label}-${i}.jpg`))
    }
  }
}

/** Runs a command that starts a job and waits for the job to end. */
export async function untilJobEnds(
  engine: Engine,
  start: () => Promise<{ jobId: number }>,
): Promise<void> {
  const job: { id?: number } = {}
  const ended = jobEnd(engine, () => job.id)
  job.id = (await start()).jobId
  await ended
}

/** Opens an engine on `libraryDir` with the shared model, importing and organizing `folder`. */
export async function organizedEngine(
  libraryDir: string,
  folder: string,
  options: EngineOptions,
): Promise<Engine> {
  process.env.KINDRED_MODELS_DIR = path.join(sharedDir, 'models')
  const engine = await Engine.open(libraryDir, options)
  await untilJobEnds(engine, () => engine.invoke('library.addFolder', { path: folder }))
  await untilJobEnds(engine, () => engine.invoke('organize.start', { clusters: 2, seed: 1 }))
  return engine
}

/** The next `library.watched` report (after `act` runs). */
export async function nextReport(engine: Engine, act: () => void): Promise<WatchReport> {
  const report = new Promise<WatchReport>((resolve) => {
    const stop = engine.onEvent((event: EngineEvent) => {
      if (event.type !== 'library.watched') return
      stop()
      resolve(event.report)
    })
  })
  act()
  return report
}
