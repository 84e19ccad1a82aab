import { afterEach, describe, expect, it } from 'vitest'
import {
  editState,
  mergeClusters,
  movePhotos,
  redoEdit,
  splitCluster,
  undoEdit,
} from '../../src/core/edits'
import { openLibrary, type Library } from '../../src/core/store/library'
import { buildFixture, clusterOf, dumpEditable } from './fixture'

const open: Library[] = []
afterEach(() => {
  for (const lib of open.splice(0)) lib.close()
})

function membersOf(lib: Library, runId: number, clusterId: number): number[] {
  return lib.db
    .prepare(
      `SELECT photo_id FROM assignments WHERE run_id = ? AND cluster_id = ? ORDER BY photo_id`,
    )
    .pluck()
    .all(runId, clusterId) as number[]
}

describe('split', () => {
  it('re-clusters a mixed group into its real classes, and undo/redo restore it exactly', async () => {
    const fx = await buildFixture(8)
    open.push(fx.lib)
    const { lib, runId, clusterIds, photosByClass } = fx
    const [leopards, motorbikes] = [photosByClass[0]!, photosByClass[1]!]
    mergeClusters(lib, [clusterIds[1]!], clusterIds[0]!)
    const merged = dumpEditable(lib) as { clusters: unknown; assignments: unknown }

    const { clusterIds: parts } = await splitCluster(lib, clusterIds[0]!, 2)
    expect(parts).toHaveLength(2)
    expect(parts[0]).toBe(clusterIds[0])
    const groups = parts.map((id) => membersOf(lib, runId, id))
    expect(groups.flat().sort((a, b) => a - b)).toEqual(
      [...leopards, ...motorbikes].sort((a, b) => a - b),
    )
    // Each part should be (almost) one class: leopards on grass vs motorbikes on white.
    const purity =
      groups.reduce(
        (sum, g) =>
          sum +
          Math.max(
            g.filter((id) => leopards.includes(id)).length,
            g.filter((id) => motorbikes.includes(id)).length,
          ),
        0,
      ) / 16
    expect(purity).toBeGreaterThanOrEqual(0.85)
    const created = lib.db
      .prepare(
        `SELECT created_by, name, merged_into, length(centroid) AS bytes FROM clusters WHERE id = ?`,
      )
      .get(parts[1])
    expect(created).toEqual({ created_by: 'user', name: null, merged_into: null, bytes: 192 * 4 })
    expect(editState(lib.db).undoLabel).toBe('Split Group 1 into 2 groups')

    undoEdit(lib.db)
    const undone = dumpEditable(lib) as { clusters: unknown; assignments: unknown }
    expect(undone.clusters).toEqual(merged.clusters)
    expect(undone.assignments).toEqual(merged.assignments)
    redoEdit(lib.db)
    expect(parts.map((id) => membersOf(lib, runId, id))).toEqual(groups)
    expect(clusterOf(lib, runId, groups[1]![0]!)).toBe(parts[1])
  })

  it('refuses fewer than 2 parts, more parts than members and unknown groups, changing nothing', async () => {
    const fx = await buildFixture(3)
    open.push(fx.lib)
    const { lib, clusterIds } = fx
    const before = dumpEditable(lib)
    await expect(splitCluster(lib, clusterIds[0]!, 1)).rejects.toThrow(
      'Split Group 1 into at least 2 groups.',
    )
    await expect(splitCluster(lib, clusterIds[0]!, 2.5)).rejects.toThrow(/at least 2 groups/)
    await expect(splitCluster(lib, clusterIds[0]!, 4)).rejects.toThrow(
      'Group 1 has 3 photos with features: it can be split into at most 3 groups.',
    )
    await expect(splitCluster(lib, 999, 2)).rejects.toThrow(/Group 999 does not exist/)
    expect(dumpEditable(lib)).toEqual(before)
  })

  it('refuses to split identical photos into parts that would be empty', async () => {
    const fx = await buildFixture(3)
    open.push(fx.lib)
    const { lib, clusterIds, photosByClass } = fx
    const first = photosByClass[0]![0]!
    lib.db
      .prepare(
        `UPDATE embeddings SET vector = (SELECT vector FROM embeddings WHERE photo_id = ?) WHERE photo_id IN (?, ?)`,
      )
      .run(first, photosByClass[0]![1], photosByClass[0]![2])
    const before = dumpEditable(lib)
    await expect(splitCluster(lib, clusterIds[0]!, 2)).rejects.toThrow(
      'The photos in Group 1 are too alike to split into 2 groups.',
    )
    expect(dumpEditable(lib)).toEqual(before)
  })

  it('is undone after reopening the library, with later edits undone first', async () => {
    const fx = await buildFixture(4)
    const { runId, clusterIds, photosByClass } = fx
    mergeClusters(fx.lib, [clusterIds[1]!], clusterIds[0]!)
    const merged = dumpEditable(fx.lib) as { clusters: unknown; assignments: unknown }
    const { clusterIds: parts } = await splitCluster(fx.lib, clusterIds[0]!, 2)
    movePhotos(fx.lib, [photosByClass[2]![0]!], parts[1]!)
    fx.lib.close()
    const lib = openLibrary(fx.libDir)
    open.push(lib)
    expect(editState(lib.db).undoLabel).toBe('Move 1 photo to Group 4')
    undoEdit(lib.db)
    expect(clusterOf(lib, runId, photosByClass[2]![0]!)).toBe(clusterIds[2])
    expect(editState(lib.db).undoLabel).toBe('Split Group 1 into 2 groups')
    undoEdit(lib.db)
    const undone = dumpEditable(lib) as { clusters: unknown; assignments: unknown }
    expect(undone.clusters).toEqual(merged.clusters)
    expect(undone.assignments).toEqual(merged.assignments)
  })
})
