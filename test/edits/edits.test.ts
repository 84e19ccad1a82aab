import { afterEach, describe, expect, it } from 'vitest'
import {
  editState,
  mergeClusters,
  movePhotos,
  redoEdit,
  renameCluster,
  splitCluster,
  undoEdit,
} from '../../src/core/edits'
import { openLibrary, type Library } from '../../src/core/store/library'
import { buildFixture, clusterOf, dumpEditable } from './fixture'

const open: Library[] = []
afterEach(() => {
  for (const lib of open.splice(0)) lib.close()
})

async function fixture() {
  const fx = await buildFixture(4)
  open.push(fx.lib)
  return fx
}

function nameOf(lib: Library, id: number): string | null {
  return (
    lib.db.prepare(`SELECT name FROM clusters WHERE id = ?`).get(id) as { name: string | null }
  ).name
}

describe('rename', () => {
  it('renames, undoes and redoes, with labels for the UI', async () => {
    const { lib, clusterIds } = await fixture()
    expect(editState(lib.db)).toEqual({
      canUndo: false,
      canRedo: false,
      undoLabel: null,
      redoLabel: null,
    })
    renameCluster(lib, clusterIds[0]!, '  Big cats ')
    expect(nameOf(lib, clusterIds[0]!)).toBe('Big cats')
    expect(editState(lib.db)).toMatchObject({
      canUndo: true,
      undoLabel: 'Rename Group 1 to Big cats',
    })
    expect(undoEdit(lib.db)).toMatchObject({
      canUndo: false,
      canRedo: true,
      redoLabel: 'Rename Group 1 to Big cats',
    })
    expect(nameOf(lib, clusterIds[0]!)).toBeNull()
    redoEdit(lib.db)
    expect(nameOf(lib, clusterIds[0]!)).toBe('Big cats')
  })

  it('refuses empty names, unknown groups and control characters, changing nothing', async () => {
    const { lib, clusterIds } = await fixture()
    const before = dumpEditable(lib)
    expect(() => renameCluster(lib, clusterIds[0]!, '   ')).toThrow('A group name cannot be empty.')
    expect(() => renameCluster(lib, clusterIds[0]!, 'a\nb')).toThrow(/line breaks/)
    expect(() => renameCluster(lib, clusterIds[0]!, 'x'.repeat(500))).toThrow(/at most 120/)
    expect(() => renameCluster(lib, 9999, 'Dogs')).toThrow(/Group 9999 does not exist/)
    expect(dumpEditable(lib)).toEqual(before)
  })
})

describe('merge', () => {
  it('moves every member into the target, marks the sources, and undo restores all', async () => {
    const { lib, runId, clusterIds, photosByClass } = await fixture()
    renameCluster(lib, clusterIds[2]!, 'Things')
    const before = dumpEditable(lib)
    mergeClusters(lib, [clusterIds[0]!, clusterIds[1]!, clusterIds[2]!], clusterIds[2]!)
    for (const id of photosByClass.flat()) expect(clusterOf(lib, runId, id)).toBe(clusterIds[2])
    const merged = lib.db.prepare(`SELECT id, merged_into FROM clusters ORDER BY id`).all()
    expect(merged).toEqual([
      { id: clusterIds[0], merged_into: clusterIds[2] },
      { id: clusterIds[1], merged_into: clusterIds[2] },
      { id: clusterIds[2], merged_into: null },
    ])
    // Runner-ups that pointed at a merged group now point at the target (or nowhere, if it is home).
    const runnerUps = lib.db
      .prepare(`SELECT DISTINCT runner_up_cluster_id AS r FROM assignments`)
      .pluck()
      .all()
    expect(runnerUps).toEqual([null])
    expect(editState(lib.db).undoLabel).toBe('Merge 3 groups into Things')
    undoEdit(lib.db)
    const afterUndo = dumpEditable(lib) as { edits: { undone: number }[] }
    expect({ ...afterUndo, edits: undefined }).toEqual({ ...(before as object), edits: undefined })
    redoEdit(lib.db)
    for (const id of photosByClass.flat()) expect(clusterOf(lib, runId, id)).toBe(clusterIds[2])
  })

  it('refuses merging a group into itself, unknown or already merged groups', async () => {
    const { lib, clusterIds } = await fixture()
    const before = dumpEditable(lib)
    expect(() => mergeClusters(lib, [clusterIds[0]!], clusterIds[0]!)).toThrow(
      'Group 1 cannot be merged into itself.',
    )
    expect(() => mergeClusters(lib, [], clusterIds[0]!)).toThrow('Choose the groups to merge.')
    expect(() => mergeClusters(lib, [clusterIds[1]!, 4242], clusterIds[0]!)).toThrow(
      /Group 4242 does not exist/,
    )
    expect(() => mergeClusters(lib, [clusterIds[1]!], 4242)).toThrow(/does not exist/)
    expect(dumpEditable(lib)).toEqual(before)
    mergeClusters(lib, [clusterIds[1]!], clusterIds[0]!)
    expect(() => mergeClusters(lib, [clusterIds[1]!], clusterIds[2]!)).toThrow(
      'Group 2 was merged into another group.',
    )
  })
})

describe('move', () => {
  it('moves photos to another group and to Unsorted as user placements, and back on undo', async () => {
    const { lib, runId, clusterIds, photosByClass, unsortedId } = await fixture()
    const [a, b] = photosByClass[0]!
    const before = dumpEditable(lib)
    movePhotos(lib, [a!, b!, unsortedId], clusterIds[1]!)
    expect(editState(lib.db).undoLabel).toBe('Move 3 photos to Group 2')
    const rows = lib.db
      .prepare(
        `SELECT photo_id, cluster_id, source, confidence FROM assignments WHERE run_id = ? AND photo_id IN (?, ?, ?)`,
      )
      .all(runId, a, b, unsortedId)
    expect(rows).toEqual(
      [a, b, unsortedId].map((id) => ({
        photo_id: id,
        cluster_id: clusterIds[1],
        source: 'user',
        confidence: 1,
      })),
    )
    movePhotos(lib, [a!], null)
    expect(editState(lib.db).undoLabel).toBe('Move 1 photo to Unsorted')
    expect(clusterOf(lib, runId, a!)).toBeNull()
    undoEdit(lib.db)
    expect(clusterOf(lib, runId, a!)).toBe(clusterIds[1])
    undoEdit(lib.db)
    // The photo that had no assignment has none again: it is back in Unsorted.
    expect(clusterOf(lib, runId, unsortedId)).toBeUndefined()
    expect(dumpEditable(lib)).toMatchObject({
      clusters: (before as { clusters: unknown }).clusters,
    })
    expect((dumpEditable(lib) as { assignments: unknown }).assignments).toEqual(
      (before as { assignments: unknown }).assignments,
    )
  })

  it('refuses unknown photos and groups, changing nothing', async () => {
    const { lib, clusterIds, photosByClass } = await fixture()
    const before = dumpEditable(lib)
    expect(() => movePhotos(lib, [photosByClass[0]![0]!, 777], clusterIds[1]!)).toThrow(
      'Photo 777 not in the library.',
    )
    expect(() => movePhotos(lib, [photosByClass[0]![0]!], 777)).toThrow(/Group 777 does not exist/)
    expect(() => movePhotos(lib, [], clusterIds[1]!)).toThrow('Choose the photos to move.')
    const broken = photosByClass[2]![0]!
    lib.db.prepare(`UPDATE photos SET status = 'failed' WHERE id = ?`).run(broken)
    expect(() => movePhotos(lib, [broken], clusterIds[1]!)).toThrow(
      `Photo ${broken} cannot be placed in a group: unreadable, missing or a duplicate.`,
    )
    lib.db.prepare(`UPDATE photos SET status = 'ok' WHERE id = ?`).run(broken)
    expect(dumpEditable(lib)).toEqual(before)
  })
})

describe('the undo stack', () => {
  it('survives reopening the library', async () => {
    const { lib, libDir, runId, clusterIds, photosByClass } = await fixture()
    renameCluster(lib, clusterIds[0]!, 'Cats')
    mergeClusters(lib, [clusterIds[1]!], clusterIds[0]!)
    lib.close()
    open.splice(0)
    const again = openLibrary(libDir)
    open.push(again)
    expect(editState(again.db)).toMatchObject({
      canUndo: true,
      undoLabel: 'Merge 2 groups into Cats',
    })
    undoEdit(again.db)
    expect(clusterOf(again, runId, photosByClass[1]![0]!)).toBe(clusterIds[1])
    again.close()
    open.splice(0)
    const third = openLibrary(libDir)
    open.push(third)
    expect(editState(third.db)).toMatchObject({
      undoLabel: 'Rename Group 1 to Cats',
      redoLabel: 'Merge 2 groups into Cats',
    })
    redoEdit(third.db)
    expect(clusterOf(third, runId, photosByClass[1]![0]!)).toBe(clusterIds[0])
  })

  it('drops the redo branch when a new edit follows an undo', async () => {
    const { lib, clusterIds } = await fixture()
    renameCluster(lib, clusterIds[0]!, 'One')
    renameCluster(lib, clusterIds[0]!, 'Two')
    undoEdit(lib.db)
    expect(editState(lib.db).redoLabel).toBe('Rename One to Two')
    renameCluster(lib, clusterIds[1]!, 'Other')
    expect(editState(lib.db)).toMatchObject({
      canRedo: false,
      undoLabel: 'Rename Group 2 to Other',
    })
    expect(() => redoEdit(lib.db)).toThrow('There is nothing to redo.')
    undoEdit(lib.db)
    undoEdit(lib.db)
    expect(nameOf(lib, clusterIds[0]!)).toBeNull()
    expect(() => undoEdit(lib.db)).toThrow('There is nothing to undo.')
  })

  it('journals nothing for an edit that changes nothing', async () => {
    const { lib, clusterIds } = await fixture()
    renameCluster(lib, clusterIds[0]!, 'Same')
    renameCluster(lib, clusterIds[0]!, 'Same')
    expect(lib.db.prepare(`SELECT COUNT(*) FROM edits`).pluck().get()).toBe(1)
  })

  it('only offers the current run’s edits', async () => {
    const { lib, clusterIds } = await fixture()
    renameCluster(lib, clusterIds[0]!, 'Old run')
    lib.db.prepare(`INSERT INTO runs (model, state, created_at) VALUES ('m', 'done', 1)`).run()
    expect(editState(lib.db)).toEqual({
      canUndo: false,
      canRedo: false,
      undoLabel: null,
      redoLabel: null,
    })
    expect(() => renameCluster(lib, clusterIds[0]!, 'x')).toThrow(/does not exist/)
  })
})

describe('kept groups (they survive retraining)', () => {
  const kept = (lib: Library) =>
    lib.db.prepare(`SELECT id FROM clusters WHERE kept = 1 ORDER BY id`).pluck().all()

  it('marks a renamed group and a merge target, and undo takes the mark back', async () => {
    const { lib, clusterIds } = await fixture()
    expect(kept(lib)).toEqual([])
    mergeClusters(lib, [clusterIds[0]!], clusterIds[1]!)
    expect(kept(lib)).toEqual([clusterIds[1]])
    renameCluster(lib, clusterIds[2]!, 'Boats')
    expect(kept(lib)).toEqual([clusterIds[1], clusterIds[2]])
    undoEdit(lib.db)
    undoEdit(lib.db)
    expect(kept(lib)).toEqual([])
    redoEdit(lib.db)
    expect(kept(lib)).toEqual([clusterIds[1]])
  })

  it('marks every part of a split, the one that keeps the group too', async () => {
    const { lib, clusterIds } = await fixture()
    mergeClusters(lib, [clusterIds[0]!], clusterIds[1]!)
    undoEdit(lib.db)
    const { clusterIds: parts } = await splitCluster(lib, clusterIds[2]!, 2)
    expect(kept(lib)).toEqual(parts)
    undoEdit(lib.db)
    expect(kept(lib)).toEqual([])
  })
})
