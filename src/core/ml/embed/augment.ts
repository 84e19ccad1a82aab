import { seededRandom } from '../random'
import type { Crop } from './preprocess'

/** A random-resized crop: 35–100 % of the area, aspect 3:4 to 4:3, randomly mirrored. */
function randomResizedCrop(next: () => number): Crop {
  const area = 0.35 + 0.65 * next()
  const aspect = Math.exp(Math.log(3 / 4) + (Math.log(4 / 3) - Math.log(3 / 4)) * next())
  const width = Math.min(1, Math.sqrt(area * aspect))
  const height = Math.min(1, Math.sqrt(area / aspect))
  return {
    left: (1 - width) * next(),
    top: (1 - height) * next(),
    width,
    height,
    flip: next() < 0.5,
  }
}

/** A photo's view seed from its content hash (its id when it has none), so that two libraries
 * of the same photos, imported in any order, train on the same views. */
export function viewSeed(photo: { id: number; hash: string | null }): number {
  const fromHash = photo.hash ? Number.parseInt(photo.hash.slice(0, 8), 16) : Number.NaN
  return Number.isFinite(fromHash) ? fromHash : photo.id
}

/**
 * The crops for views 1..count of a photo: view 1 is the mirrored photo, the rest are
 * random-resized crops seeded by `seed` (see viewSeed; SCAN's training views, stable across runs).
 */
export function augmentationsFor(seed: number, count: number): Crop[] {
  // Seeded by the photo, so a photo's views are the same on every run.
  const next = seededRandom((seed * 7919 + 17) >>> 0)
  const crops: Crop[] = []
  for (let view = 1; view <= count; view++) {
    crops.push(
      view === 1 ? { left: 0, top: 0, width: 1, height: 1, flip: true } : randomResizedCrop(next),
    )
  }
  return crops
}
