import { afterEach, describe, expect, it } from 'vitest'
import { openLibrary, type Library } from '../../src/core/store/library'
import {
  addAssignments,
  createRun,
  currentRun,
  finishRun,
  listGroups,
  listMembers,
} from '../../src/core/clusters'
import { movePhotos, undoEdit } from '../../src/core/edits'
import { tempDir } from '../helpers/tmp'
import { addPhotos, probabilities } from './helpers'

const libs: Library[] = []
afterEach(() => libs.splice(0).forEach((lib) => lib.close()))
function library(): Library {
  const lib = openLibrary(tempDir())
  libs.push(lib)
  return lib
}

const LABELS = [...Array(6).fill(0), ...Array(6).fill(1)] as number[]
const RULE = { rank: 5, quantile: 0.03, thresholds: [0.5, 0.5] }
const flags = (n: number, on: number[]) => Uint8Array.from({ length: n }, (_, i) => +on.includes(i))

describe('photos that fit no group', () => {
  it('go to Unsorted with the reason and their closest group, and the rule is kept with the run', () => {
    const lib = library()
    const ids = addPhotos(lib.db, LABELS.length)
    const runId = createRun(lib.db, 'm', {})
    const done = finishRun(lib.db, runId, {
      photoIds: ids,
      probs: probabilities(LABELS, 2),
      k: 2,
      unsorted: { outlier: flags(12, [0, 7]), rule: RULE },
    })
    expect(done.unsorted).toBe(2)
    const groups = listGroups(lib.db)
    expect(groups.unsorted).toBe(2)
    expect(groups.clusters.map((g) => g.size)).toEqual([5, 5])
    const closest = new Map(groups.clusters.map((g) => [g.id, g]))
    const members = listMembers(lib.db, null).members
    expect(members.map((m) => [m.photoId, m.unsortedReason, m.source])).toEqual(
      expect.arrayContaining([
        [1, 'no-fit', 'model'],
        [8, 'no-fit', 'model'],
      ]),
    )
    for (const m of members) expect(closest.has(m.runnerUp!)).toBe(true)
    expect(currentRun(lib.db)!.metrics).toMatchObject({ unsortedRule: RULE, unsorted: 2 })
    // Group members have no reason.
    const first = groups.clusters[0]!.id
    expect(listMembers(lib.db, first).members.every((m) => m.unsortedReason === null)).toBe(true)
  })

  it('a photo placed by hand is never sent to Unsorted by the rule when the model is retrained', () => {
    const lib = library()
    const ids = addPhotos(lib.db, LABELS.length)
    const run1 = createRun(lib.db, 'm', {})
    finishRun(lib.db, run1, { photoIds: ids, probs: probabilities(LABELS, 2), k: 2 })
    const [a] = listGroups(lib.db).clusters
    movePhotos(lib, [3], a!.id)
    const run2 = createRun(lib.db, 'm', {})
    // The new run finds every photo an outlier: only the hand-placed one keeps its group.
    finishRun(lib.db, run2, {
      photoIds: ids,
      probs: probabilities(LABELS, 2),
      k: 2,
      unsorted: { outlier: flags(12, [...ids.keys()]), rule: RULE },
    })
    const groups = listGroups(lib.db)
    expect(groups.unsorted).toBe(11)
    const kept = groups.clusters.filter((g) => g.size > 0)
    expect(kept).toHaveLength(1)
    expect(listMembers(lib.db, kept[0]!.id).members).toMatchObject([{ photoId: 3, source: 'user' }])
  })

  it('moving a photo out of Unsorted and undoing it brings the reason back', () => {
    const lib = library()
    const ids = addPhotos(lib.db, LABELS.length)
    const runId = createRun(lib.db, 'm', {})
    finishRun(lib.db, runId, {
      photoIds: ids,
      probs: probabilities(LABELS, 2),
      k: 2,
      unsorted: { outlier: flags(12, [0]), rule: RULE },
    })
    const group = listGroups(lib.db).clusters[0]!.id
    movePhotos(lib, [1], group)
    expect(listMembers(lib.db, null).total).toBe(0)
    movePhotos(lib, [1], null)
    expect(listMembers(lib.db, null).members).toMatchObject([
      { photoId: 1, unsortedReason: 'moved' },
    ])
    undoEdit(lib.db)
    undoEdit(lib.db)
    expect(listMembers(lib.db, null).members).toMatchObject([
      { photoId: 1, unsortedReason: 'no-fit', source: 'model' },
    ])
  })

  it('photos assigned later that fit no group go to Unsorted with the reason', () => {
    const lib = library()
    const ids = addPhotos(lib.db, LABELS.length)
    const runId = createRun(lib.db, 'm', {})
    finishRun(lib.db, runId, { photoIds: ids, probs: probabilities(LABELS, 2), k: 2 })
    const later = addPhotos(lib.db, 3, 100)
    expect(
      addAssignments(lib.db, runId, later, probabilities([0, 1, 0], 2), 2, flags(3, [1])),
    ).toBe(3)
    const unsorted = listMembers(lib.db, null).members
    expect(unsorted).toMatchObject([{ photoId: 101, unsortedReason: 'no-fit' }])
    expect(unsorted[0]!.runnerUp).not.toBeNull()
    expect(listGroups(lib.db).clusters.reduce((s, g) => s + g.size, 0)).toBe(14)
  })
})
