import { afterEach, describe, expect, it } from 'vitest'
import { openLibrary, type Library } from '../../src/core/store/library'
import {
  addAssignments,
  createRun,
  currentRun,
  decodeCheckpoint,
  encodeCheckpoint,
  findResumableRun,
  finishRun,
  listGroups,
  listMembers,
  loadCheckpoint,
  photosWithoutAssignment,
  saveCheckpoint,
  setRunState,
} from '../../src/core/clusters'
import { addApartPair, apartPairs } from '../../src/core/clusters/apart'
import { tempDir } from '../helpers/tmp'
import { addPhotos, probabilities } from './helpers'

const libs: Library[] = []
afterEach(() => libs.splice(0).forEach((lib) => lib.close()))
function library(): Library {
  const lib = openLibrary(tempDir())
  libs.push(lib)
  return lib
}

/** 3 clusters: model cluster 0 gets 5 photos, 1 gets 12, 2 gets 8. */
const LABELS = [...Array(5).fill(0), ...Array(12).fill(1), ...Array(8).fill(2)] as number[]

/** A retrain of LABELS: the 5 photos of cluster 0 go with the 8 of cluster 2; the 12 split. */
const SMALL_JOINS_MIDDLE = [
  ...Array(5).fill(2),
  ...Array(6).fill(0),
  ...Array(6).fill(1),
  ...Array(8).fill(2),
] as number[]

function trainedRun(lib: Library, labels = LABELS, ids = addPhotos(lib.db, labels.length)) {
  const runId = createRun(lib.db, 'm', { clusters: 3 })
  const dim = 4
  const features = new Float32Array(labels.length * dim)
  labels.forEach((l, i) => (features[i * dim + l] = 1))
  finishRun(lib.db, runId, {
    photoIds: ids,
    probs: probabilities(labels, 3),
    k: 3,
    features: { data: features, dim },
  })
  return { runId, ids }
}

describe('checkpoints', () => {
  it('round-trips typed arrays exactly inside JSON', () => {
    const value = {
      kind: 'linear',
      k: 3,
      w: Float32Array.of(0.1, -2.5e-8, 3),
      idx: Int32Array.of(-1, 7),
      nested: [{ b: new Float64Array([Math.PI]) }],
    }
    const back = decodeCheckpoint<typeof value>(encodeCheckpoint(value))
    expect(back.w).toBeInstanceOf(Float32Array)
    expect([...back.w]).toEqual([...value.w])
    expect([...back.idx]).toEqual([-1, 7])
    expect(back.nested[0]!.b[0]).toBe(Math.PI)
    expect(back.kind).toBe('linear')
  })

  it('stores a run checkpoint and finds the unfinished run to resume with the same parameters', () => {
    const lib = library()
    const runId = createRun(lib.db, 'm', { clusters: 3, seed: 1 })
    saveCheckpoint(lib.db, runId, 'selflabel', { w: Float32Array.of(1, 2) }, { scanLoss: 0.5 })
    setRunState(lib.db, runId, 'cancelled')
    expect(findResumableRun(lib.db, 'm', { clusters: 3, seed: 1 })).toMatchObject({
      id: runId,
      stage: 'selflabel',
      state: 'cancelled',
      hasCheckpoint: true,
      metrics: { scanLoss: 0.5 },
    })
    expect(findResumableRun(lib.db, 'm', { clusters: 4, seed: 1 })).toBeNull()
    expect([...loadCheckpoint<{ w: Float32Array }>(lib.db, runId)!.w]).toEqual([1, 2])
    expect(currentRun(lib.db)).toBeNull()
  })
})

describe('a finished run', () => {
  it('lists groups by size with generated names, mean confidence and prototypes', () => {
    const lib = library()
    const { runId } = trainedRun(lib)
    addPhotos(lib.db, 2, 100) // imported after training: Unsorted
    lib.db.prepare(`UPDATE photos SET status = 'failed' WHERE id = 101`).run()
    const { clusters, unsorted, runId: current } = listGroups(lib.db)
    expect(current).toBe(runId)
    expect(clusters.map((c) => [c.name, c.size, c.named])).toEqual([
      ['Group 1', 12, false],
      ['Group 2', 8, false],
      ['Group 3', 5, false],
    ])
    expect(unsorted).toBe(1)
    // Prototypes: the 9 most probable of the 12 (photos 9..17, confidence rising with id).
    expect(clusters[0]!.prototypes).toEqual([17, 16, 15, 14, 13, 12, 11, 10, 9])
    expect(clusters[2]!.prototypes).toEqual([5, 4, 3, 2, 1])
    const expectedMean =
      [...Array(12).keys()].map((i) => 0.5 + (0.4 * (i + 5)) / 25).reduce((a, b) => a + b) / 12
    expect(clusters[0]!.meanConfidence).toBeCloseTo(expectedMean, 5)
    expect(listGroups(lib.db, 'name').clusters.map((c) => c.name)).toEqual([
      'Group 1',
      'Group 2',
      'Group 3',
    ])
    expect(listGroups(lib.db, 'confidence').clusters[0]!.name).toBe('Group 2')
  })

  it('pages members by confidence with their runner-up group, and Unsorted', () => {
    const lib = library()
    trainedRun(lib)
    const groups = listGroups(lib.db).clusters
    const [big, middle] = groups
    const page = listMembers(lib.db, big!.id, 0, 5)
    expect(page.total).toBe(12)
    expect(page.members.map((m) => m.photoId)).toEqual([17, 16, 15, 14, 13])
    expect(page.members[0]).toMatchObject({
      fileName: 'p17.jpg',
      source: 'model',
      isPrototype: true,
      runnerUp: middle!.id,
    })
    expect(page.members[0]!.confidence).toBeCloseTo(0.5 + (0.4 * 16) / 25, 5)
    const rest = listMembers(lib.db, big!.id, 9, 5)
    expect(rest.members.map((m) => [m.photoId, m.isPrototype])).toEqual([
      [8, false],
      [7, false],
      [6, false],
    ])
    addPhotos(lib.db, 2, 200)
    expect(listMembers(lib.db, null)).toMatchObject({
      total: 2,
      members: [{ photoId: 200, confidence: 0, runnerUp: null }, { photoId: 201 }],
    })
    expect(() => listMembers(lib.db, 9999)).toThrow(/no group 9999/)
  })

  it('stores a centroid per cluster', () => {
    const lib = library()
    const { runId } = trainedRun(lib)
    const rows = lib.db
      .prepare(`SELECT idx, centroid FROM clusters WHERE run_id = ? ORDER BY idx`)
      .all(runId) as {
      idx: number
      centroid: Buffer
    }[]
    const vectors = rows.map((r) => [...new Float32Array(new Uint8Array(r.centroid).buffer)])
    expect(vectors).toEqual([
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [1, 0, 0, 0],
    ])
  })

  it('assigns photos imported later with the stored model order, without retraining', () => {
    const lib = library()
    const { runId } = trainedRun(lib)
    const late = addPhotos(lib.db, 3, 50)
    expect(photosWithoutAssignment(lib.db, runId)).toEqual(late)
    // Model cluster 0 is the smallest group (Group 3), 1 the largest (Group 1).
    const probs = Float32Array.of(0.9, 0.05, 0.05, 0.1, 0.8, 0.1, 0.2, 0.1, 0.7)
    expect(addAssignments(lib.db, runId, late, probs, 3)).toBe(3)
    const byName = new Map(listGroups(lib.db).clusters.map((c) => [c.name, c.size]))
    expect(Object.fromEntries(byName)).toEqual({ 'Group 1': 13, 'Group 2': 9, 'Group 3': 6 })
    expect(photosWithoutAssignment(lib.db, runId)).toEqual([])
    expect(() => addAssignments(lib.db, runId, late, probs.subarray(0, 6), 2)).toThrow(
      /no finished model with 2/,
    )
  })

  it('folds merged clusters into the group they went to', () => {
    const lib = library()
    trainedRun(lib)
    const [big, , small] = listGroups(lib.db).clusters
    lib.db.prepare(`UPDATE clusters SET merged_into = ? WHERE id = ?`).run(big!.id, small!.id)
    const groups = listGroups(lib.db).clusters
    expect(groups.map((g) => g.size)).toEqual([17, 8])
    expect(listMembers(lib.db, big!.id, 0, 100).total).toBe(17)
    // Runner-ups that pointed at the merged group now point at its new group or vanish.
    for (const m of listMembers(lib.db, big!.id, 0, 100).members)
      expect(m.runnerUp).not.toBe(small!.id)
  })
})

describe('retraining', () => {
  it('keeps named groups with their members, carries names by overlap, keeps what a person placed', () => {
    const lib = library()
    const { ids } = trainedRun(lib)
    const [big, middle, small] = listGroups(lib.db).clusters
    const run1 = currentRun(lib.db)!.id
    lib.db.prepare(`UPDATE clusters SET name = 'Cats' WHERE id = ?`).run(big!.id)
    lib.db.prepare(`UPDATE clusters SET name = 'Boats' WHERE id = ?`).run(small!.id)
    // A person moved photo 1 (model: small group) into the big group, and photo 6 to Unsorted.
    const move = lib.db.prepare(
      `UPDATE assignments SET cluster_id = ?, source = 'user' WHERE photo_id = ? AND run_id = ?`,
    )
    move.run(big!.id, 1, run1)
    move.run(null, 6, run1)
    // A person made a group of their own and put photo 20 in it.
    const own = Number(
      lib.db
        .prepare(
          `INSERT INTO clusters (run_id, idx, name, created_by) VALUES (?, 3, 'Favourites', 'user')`,
        )
        .run(run1).lastInsertRowid,
    )
    move.run(own, 20, run1)
    void middle

    // Retrain: the model's cluster numbering is permuted (old 0→2, 1→0, 2→1) and one photo drifts.
    const relabel = [2, 0, 1]
    const labels = LABELS.map((l) => relabel[l]!)
    labels[2] = 0 // photo 3 now lands with the old big group
    const run2 = createRun(lib.db, 'm', { clusters: 3 })
    const done = finishRun(lib.db, run2, { photoIds: ids, probs: probabilities(labels, 3), k: 3 })
    expect(done).toMatchObject({
      runId: run2,
      groups: 3,
      namesCarried: 3,
      groupsKept: 3,
      userPlacementsKept: 3,
    })

    const groups = listGroups(lib.db)
    expect(groups.runId).toBe(run2)
    const byName = new Map(groups.clusters.map((g) => [g.name, g]))
    expect([...byName.keys()].sort()).toEqual(['Boats', 'Favourites', 'Group 2', 'Cats'].sort())
    // Cats: old big group (photos 6..17) + photo 1 (placed by hand) − photo 6 (Unsorted).
    expect(byName.get('Cats')!.size).toBe(12 + 1 - 1)
    // Boats: photos 1..5 less photo 1; photo 3, which the model now puts with Cats, stays: Boats
    // is a named group and keeps its members. The middle group: photos 18..25 less photo 20.
    expect(byName.get('Boats')!.size).toBe(5 - 1)
    const boats = listMembers(lib.db, byName.get('Boats')!.id, 0, 100).members
    expect(boats.find((m) => m.photoId === 3)).toMatchObject({
      source: 'model',
      runnerUp: byName.get('Cats')!.id,
    })
    expect(byName.get('Group 2')!.size).toBe(8 - 1)
    expect(byName.get('Favourites')).toMatchObject({ size: 1, named: true })
    expect(groups.unsorted).toBe(1)
    const cats = listMembers(lib.db, byName.get('Cats')!.id, 0, 100).members
    expect(cats.find((m) => m.photoId === 1)).toMatchObject({ source: 'user', confidence: 1 })
    expect(listMembers(lib.db, null).members).toMatchObject([{ photoId: 6, source: 'user' }])
    expect(listMembers(lib.db, byName.get('Favourites')!.id).members).toMatchObject([
      { photoId: 20, source: 'user' },
    ])
  })

  it('keeps a merged group the new model spreads out together, with all its photos', () => {
    const lib = library()
    const { ids } = trainedRun(lib)
    const [big, , small] = listGroups(lib.db).clusters
    // Groups 1 and 3 merged by a person and named; group 2 untouched.
    lib.db.prepare(`UPDATE clusters SET merged_into = ? WHERE id = ?`).run(big!.id, small!.id)
    lib.db.prepare(`UPDATE clusters SET name = 'Pets', kept = 1 WHERE id = ?`).run(big!.id)
    const pets = ids.slice(0, 17)

    // The new model puts the 5 photos of old group 3 with the 8 of group 2, and splits the 12
    // of old group 1 over two clusters.
    const run2 = createRun(lib.db, 'm', { clusters: 3 })
    const done = finishRun(lib.db, run2, {
      photoIds: ids,
      probs: probabilities(SMALL_JOINS_MIDDLE, 3),
      k: 3,
    })
    expect(done).toMatchObject({ groupsKept: 1, namesCarried: 1 })

    const groups = listGroups(lib.db).clusters
    expect(groups.map((g) => [g.name === 'Pets', g.size])).toEqual([
      [true, 17],
      [false, 8],
    ])
    const members = listMembers(lib.db, groups[0]!.id, 0, 100).members.map((m) => m.photoId)
    expect(members.sort((a, b) => a - b)).toEqual(pets)
  })

  it('carries Not the same to the groups that continue the pair', () => {
    const lib = library()
    const { ids } = trainedRun(lib)
    const [big, , small] = listGroups(lib.db).clusters
    addApartPair(lib.db, small!.id, big!.id)
    // The new model numbers its clusters otherwise (old 0→2, 1→0, 2→1): the same groups.
    const relabel = [2, 0, 1]
    const run2 = createRun(lib.db, 'm', { clusters: 3 })
    finishRun(lib.db, run2, {
      photoIds: ids,
      probs: probabilities(
        LABELS.map((l) => relabel[l]!),
        3,
      ),
      k: 3,
    })
    const idOfSize = new Map(listGroups(lib.db).clusters.map((g) => [g.size, g.id]))
    const [newBig, newSmall] = [idOfSize.get(12)!, idOfSize.get(5)!]
    expect([...apartPairs(lib.db, run2)]).toEqual([
      `${Math.min(newBig, newSmall)},${Math.max(newBig, newSmall)}`,
    ])
  })

  it('drops Not the same for a group the new model puts in with other photos', () => {
    const lib = library()
    const { ids } = trainedRun(lib)
    const [big, middle, small] = listGroups(lib.db).clusters
    addApartPair(lib.db, small!.id, big!.id)
    addApartPair(lib.db, small!.id, middle!.id)
    addApartPair(lib.db, big!.id, middle!.id)
    // The 5 photos of the small group join the 8 of the middle one; the big group splits in two.
    const run2 = createRun(lib.db, 'm', { clusters: 3 })
    finishRun(lib.db, run2, { photoIds: ids, probs: probabilities(SMALL_JOINS_MIDDLE, 3), k: 3 })
    const groups = listGroups(lib.db).clusters
    const middleNow = groups.find((g) => g.size === 13)!.id
    const halvesOfBig = groups.filter((g) => g.size === 6).map((g) => g.id)
    // Only big–middle lasts, on one half of the big group: the small group is gone.
    const pairs = [...apartPairs(lib.db, run2)].map((key) => key.split(',').map(Number))
    expect(pairs).toHaveLength(1)
    const [a, b] = pairs[0]!
    const other = a === middleNow ? b : a
    expect([a, b]).toContain(middleNow)
    expect(halvesOfBig).toContain(other)
  })

  it('recreates a small kept group rather than name a new cluster it holds little of', () => {
    const lib = library()
    const { ids } = trainedRun(lib)
    const small = listGroups(lib.db).clusters[2]!
    lib.db.prepare(`UPDATE clusters SET name = 'Boats', kept = 1 WHERE id = ?`).run(small.id)
    // 10 photos imported since; the new model puts them with the 5 boats.
    const late = addPhotos(lib.db, 10, 100)
    const labels = [
      ...Array(5).fill(0),
      ...Array(12).fill(1),
      ...Array(8).fill(2),
      ...Array(10).fill(0),
    ]
    const run2 = createRun(lib.db, 'm', { clusters: 3 })
    finishRun(lib.db, run2, {
      photoIds: [...ids, ...late],
      probs: probabilities(labels, 3),
      k: 3,
    })
    const groups = listGroups(lib.db).clusters
    const boats = groups.find((g) => g.name === 'Boats')!
    const boatMembers = listMembers(lib.db, boats.id, 0, 100).members.map((m) => m.photoId)
    expect(boatMembers.sort((a, b) => a - b)).toEqual(ids.slice(0, 5))
    // The new photos make a group of their own, under no borrowed name.
    const newcomers = groups.find((g) => g.size === 10)!
    expect(newcomers.named).toBe(false)
    expect(groups.map((g) => g.size).sort((a, b) => a - b)).toEqual([5, 8, 10, 12])
  })
})
