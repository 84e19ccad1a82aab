import { afterEach, describe, expect, it } from 'vitest'
import { openLibrary, type Library } from '../../src/core/store/library'
import { ensureNeighbours, readNeighbours } from '../../src/core/pipeline/neighbours'
import { tempDir } from '../helpers/tmp'
import { addPhotos } from '../clusters/helpers'

const libs: Library[] = []
afterEach(() => libs.splice(0).forEach((lib) => lib.close()))

/** n unit vectors on a circle in 2-d: each one's nearest neighbours are the adjacent angles. */
function circle(n: number): Float32Array {
  const data = new Float32Array(n * 2)
  for (let i = 0; i < n; i++) {
    data[i * 2] = Math.cos((2 * Math.PI * i) / (n * 2))
    data[i * 2 + 1] = Math.sin((2 * Math.PI * i) / (n * 2))
  }
  return data
}

describe('neighbours stage', () => {
  it('computes exact neighbours, stores them per model and reads them back instead of recomputing', async () => {
    const lib = openLibrary(tempDir())
    libs.push(lib)
    const ids = addPhotos(lib.db, 12, 10)
    const features = { ids, data: circle(12), dim: 2 }
    const first = await ensureNeighbours(lib.db, 'm', features, 2)
    expect(first.computed).toBe(true)
    // Photo at angle index 5 (id 15): neighbours 4 and 6, in either order of equal similarity.
    expect([...first.index.subarray(10, 12)].sort()).toEqual([4, 6])
    expect([...first.index.subarray(0, 2)]).toEqual([1, 2])
    const rows = lib.db
      .prepare(
        `SELECT neighbour_id FROM neighbours WHERE model = 'm' AND photo_id = 10 ORDER BY rank`,
      )
      .pluck()
      .all()
    expect(rows).toEqual([11, 12])

    const progress: number[][] = []
    const again = await ensureNeighbours(lib.db, 'm', features, 2, {
      onProgress: (d, t) => progress.push([d, t]),
    })
    expect(again.computed).toBe(false)
    expect([...again.index]).toEqual([...first.index])
    expect(again.sim[0]).toBeCloseTo(first.sim[0]!, 6)
    expect(progress).toEqual([[12, 12]])

    // Another k, another model, or another photo set makes the stored ones stale.
    expect(readNeighbours(lib.db, 'm', ids, 3)).toBeNull()
    expect(readNeighbours(lib.db, 'other', ids, 2)).toBeNull()
    expect(readNeighbours(lib.db, 'm', ids.slice(1), 2)).toBeNull()
    const grown = { ids: [...ids, ...addPhotos(lib.db, 1, 50)], data: circle(13), dim: 2 }
    expect((await ensureNeighbours(lib.db, 'm', grown, 2)).computed).toBe(true)
    expect(lib.db.prepare(`SELECT count(*) FROM neighbours WHERE model = 'm'`).pluck().get()).toBe(
      26,
    )
  })

  it('stops when cancelled and stores nothing', async () => {
    const lib = openLibrary(tempDir())
    libs.push(lib)
    const ids = addPhotos(lib.db, 40)
    const controller = new AbortController()
    controller.abort()
    await expect(
      ensureNeighbours(lib.db, 'm', { ids, data: circle(40), dim: 2 }, 3, {
        signal: controller.signal,
      }),
    ).rejects.toThrow()
    expect(lib.db.prepare(`SELECT count(*) FROM neighbours`).pluck().get()).toBe(0)
  })
})
