import fs from 'node:fs'
import path from 'node:path'
import type { EngineEvent } from '../../src/shared/contract'
import type { Engine } from '../../src/core/engine/engine'
import { CommandFailure } from '../../src/core/engine/errors'
import { expect } from 'vitest'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

/** Real camera photos (plus one broken file) from ../shared, copied into a fresh folder. */
export const PHOTOS = [
  'exif-samples/Canon_40D.jpg',
  'exif-samples/Nikon_D70.jpg',
  'exif-samples/gps/DSCN0010.jpg',
  'exif-samples/gps/DSCN0012.jpg',
  'formats/4.webp',
  'formats/with-alpha.png',
]
export const BROKEN = 'formats/truncated.jpg'

export function photoFolder(): string {
  const dir = tempDir('kindred-photos-')
  for (const file of [...PHOTOS, BROKEN]) {
    fs.copyFileSync(sharedPath('fixtures', file), path.join(dir, path.basename(file)))
  }
  return dir
}

/** Resolves with the events seen until the job ends (done, failed or cancelled). */
export function jobEnd(
  engine: Pick<Engine, 'onEvent'>,
  jobId: () => number | undefined,
): Promise<EngineEvent[]> {
  const seen: EngineEvent[] = []
  return new Promise((resolve) => {
    const stop = engine.onEvent((event) => {
      seen.push(event)
      if (event.type !== 'progress' || event.progress.jobId !== jobId()) return
      if (['done', 'failed', 'cancelled'].includes(event.progress.status)) {
        stop()
        resolve(seen)
      }
    })
  })
}

/** The CommandFailure a command ends with (the test fails if it succeeds or throws else). */
export async function commandFailure(promise: Promise<unknown>): Promise<CommandFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CommandFailure)
  return error as CommandFailure
}

/** 2 classes × 20 Caltech photos, copied into a fresh folder. */
export function twoClasses(): string {
  const dir = tempDir('kindred-caltech-')
  for (const label of ['Motorbikes', 'sunflower']) {
    const files = fs
      .readdirSync(sharedPath('datasets', 'caltech20', label))
      .sort()
      .slice(0, 20)
    for (const file of files) {
      fs.copyFileSync(
        sharedPath('datasets', 'caltech20', label, file),
        path.join(dir, `${label}-${file}`),
      )
    }
  }
  return dir
}

/** Starts a job and resolves with its events once it has ended. */
export async function runJob(
  engine: Pick<Engine, 'onEvent'>,
  start: () => Promise<{ jobId: number }>,
): Promise<EngineEvent[]> {
  const job: { id?: number } = {}
  const ended = jobEnd(engine, () => job.id)
  job.id = (await start()).jobId
  return ended
}
