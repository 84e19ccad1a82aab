import path from 'node:path'
import sharp from 'sharp'
import type { Library } from '../store/library'

/**
 * Variance of the 4-neighbour Laplacian of the image in grey, divided by the variance of the grey
 * levels: the usual focus measure (blur flattens edges and lowers it), made independent of
 * brightness and contrast so that a brightened copy does not look sharper. Computed on the stored
 * thumbnail, so photos of one set are compared at about the same size.
 */
export async function laplacianVariance(file: string): Promise<number> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true })
  const { width: w, height: h, channels } = info
  if (w < 3 || h < 3) return 0
  const lap = { sum: 0, sumSq: 0 }
  const grey = { sum: 0, sumSq: 0 }
  const at = (x: number, y: number) => data[(y * w + x) * channels]!
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const v = at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4 * at(x, y)
      lap.sum += v
      lap.sumSq += v * v
      grey.sum += at(x, y)
      grey.sumSq += at(x, y) ** 2
    }
  }
  const n = (w - 2) * (h - 2)
  const variance = (m: typeof lap) => m.sumSq / n - (m.sum / n) ** 2
  const greyVariance = variance(grey)
  // A flat image (one colour) has no edges to be sharp.
  return greyVariance < 1 ? 0 : variance(lap) / greyVariance
}

/**
 * The sharpness of each photo's thumbnail, measured once and kept with the thumbnail; null for
 * a photo without a readable thumbnail.
 */
export async function thumbnailSharpness(
  lib: Library,
  photoIds: readonly number[],
): Promise<Map<number, number | null>> {
  const read = lib.db.prepare(`SELECT file, sharpness FROM thumbnails WHERE photo_id = ?`)
  const save = lib.db.prepare(`UPDATE thumbnails SET sharpness = ? WHERE photo_id = ?`)
  const out = new Map<number, number | null>()
  for (const id of photoIds) {
    const row = read.get(id) as { file: string; sharpness: number | null } | undefined
    if (!row) {
      out.set(id, null)
      continue
    }
    if (row.sharpness !== null) {
      out.set(id, row.sharpness)
      continue
    }
    try {
      const value = await laplacianVariance(path.resolve(lib.thumbnailDir, row.file))
      save.run(value, id)
      out.set(id, value)
    } catch {
      // A thumbnail that is gone or unreadable only loses the sharpness hint.
      out.set(id, null)
    }
  }
  return out
}
