/** The fake library's near-duplicate sets: fixed sets, each found up to its similarity. */
import type { DuplicatePhoto, DuplicateReport } from '../../src/shared/contract'

export const FAKE_DEFAULT_THRESHOLD = 0.85

export interface FakeSet {
  /** Photo ids, the best one (most pixels) first. */
  ids: number[]
  similarity: number
}

function photo(id: number, rank: number, hidden: boolean): DuplicatePhoto {
  return {
    photoId: id,
    fileName: `IMG_${String(id).padStart(4, '0')}.jpg`,
    width: 640 - rank * 40,
    height: 480 - rank * 30,
    bytes: 60_000 - rank * 5_000,
    sharpness: 0.5,
    hidden,
  }
}

export function duplicateReport(
  sets: FakeSet[],
  hidden: ReadonlySet<number>,
  threshold = FAKE_DEFAULT_THRESHOLD,
): DuplicateReport {
  const found = sets
    .filter((s) => s.similarity >= threshold)
    .map((s) => {
      const photos = s.ids.map((id, rank) => photo(id, rank, hidden.has(id)))
      const keeper = photos.some((p) => p.hidden) ? photos.find((p) => !p.hidden) : photos[0]
      return { photos, keeper: (keeper ?? photos[0]!).photoId, similarity: s.similarity }
    })
  // As the engine does: sets still showing more than one photo first.
  const resolved = (s: (typeof found)[number]) => s.photos.filter((p) => !p.hidden).length < 2
  found.sort((a, b) => Number(resolved(a)) - Number(resolved(b)))
  return {
    threshold,
    defaultThreshold: FAKE_DEFAULT_THRESHOLD,
    ready: true,
    sets: found,
    hidden: [...hidden].sort((a, b) => a - b).map((id) => photo(id, 0, true)),
  }
}
