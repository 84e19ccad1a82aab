import { afterEach, describe, expect, it } from 'vitest'
import { openLibrary, type Library } from '../../src/core/store/library'
import { createRun, finishRun, listGroups, searchPhotos } from '../../src/core/clusters'
import { mergeClusters, movePhotos } from '../../src/core/edits'
import { tempDir } from '../helpers/tmp'
import { addPhotos } from './helpers'

const libs: Library[] = []
afterEach(() => libs.splice(0).forEach((lib) => lib.close()))

const DAY = 86_400_000
const JUNE = Date.UTC(2024, 5, 1)

/**
 * 12 photos: 1–6 in /photos/Beach 2024/, 7–12 in /photos/home/; taken one a day from June 1st
 * (photo 12 has no date). Model groups: 1–6 → 0, 7–9 → 1, 10–12 → 2. Photos 2, 4 (group 0) and
 * 8 (group 1) were placed with 0.4, runner-up the next group; the rest with 0.9.
 */
function library() {
  const lib = openLibrary(tempDir())
  libs.push(lib)
  const ids = addPhotos(lib.db, 12)
  lib.db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (2, '/photos/home', 0)`).run()
  const update = lib.db.prepare(
    `UPDATE photos SET path = ?, folder_id = ?, taken_at = ?, taken_at_source = 'exif' WHERE id = ?`,
  )
  for (const id of ids) {
    const beach = id <= 6
    const path = beach ? `/photos/Beach 2024/IMG_${id}.jpg` : `/photos/home/img_${id}.jpg`
    update.run(path, beach ? 1 : 2, id === 12 ? null : JUNE + (id - 1) * DAY, id)
  }
  const label = (id: number) => (id <= 6 ? 0 : id <= 9 ? 1 : 2)
  const unsure = new Set([2, 4, 8])
  const probs = new Float32Array(12 * 3)
  ids.forEach((id, i) => {
    const own = label(id)
    const p = unsure.has(id) ? 0.4 : 0.9
    probs[i * 3 + own] = p
    probs[i * 3 + ((own + 1) % 3)] = unsure.has(id) ? 0.35 : 0.06
    probs[i * 3 + ((own + 2) % 3)] = 1 - p - probs[i * 3 + ((own + 1) % 3)]!
  })
  const features = new Float32Array(12 * 3)
  ids.forEach((id, i) => (features[i * 3 + label(id)] = 1))
  finishRun(lib.db, createRun(lib.db, 'm', { clusters: 3 }), {
    photoIds: ids,
    probs,
    k: 3,
    features: { data: features, dim: 3 },
  })
  const groupOf = (photoId: number) =>
    searchPhotos(lib.db, {}, 0, 100).photos.find((p) => p.photoId === photoId)!.clusterId!
  return { lib, groupOf }
}

const idsOf = (r: { photos: { photoId: number }[] }) => r.photos.map((p) => p.photoId)

describe('searching photos', () => {
  it('finds every word of a text in file names and folders, in any case', () => {
    const { lib } = library()
    expect(idsOf(searchPhotos(lib.db, { text: 'beach' }))).toEqual([1, 2, 3, 4, 5, 6])
    expect(idsOf(searchPhotos(lib.db, { text: '  2024 img_3 ' }))).toEqual([3])
    expect(idsOf(searchPhotos(lib.db, { text: 'HOME img_1' }))).toEqual([10, 11, 12])
    // LIKE's wildcards are plain characters to a person.
    expect(searchPhotos(lib.db, { text: '%' }).total).toBe(0)
    expect(searchPhotos(lib.db, { text: 'img_' }).total).toBe(12)
    expect(searchPhotos(lib.db, { text: 'imgx' }).total).toBe(0)
    const first = searchPhotos(lib.db, { text: 'beach' }).photos[0]!
    expect(first).toMatchObject({ fileName: 'IMG_1.jpg', takenAt: JUNE, source: 'model' })
  })

  it('filters by folder and by date taken, and pages by date', () => {
    const { lib } = library()
    expect(idsOf(searchPhotos(lib.db, { folderId: 2 }))).toEqual([7, 8, 9, 10, 11, 12])
    const june3to5 = { takenFrom: JUNE + 2 * DAY, takenTo: JUNE + 5 * DAY }
    expect(idsOf(searchPhotos(lib.db, june3to5))).toEqual([3, 4, 5])
    // Undated photos come last, and match no date range.
    expect(idsOf(searchPhotos(lib.db, { takenFrom: 0 }))).not.toContain(12)
    const page = searchPhotos(lib.db, {}, 10, 5)
    expect(page.total).toBe(12)
    expect(idsOf(page)).toEqual([11, 12])
  })

  it('lists doubtful photos least sure first, and not once a person placed them', () => {
    const { lib, groupOf } = library()
    const doubtful = searchPhotos(lib.db, { doubtful: true })
    expect(doubtful.total).toBe(3)
    expect(doubtful.photos.every((p) => p.doubtful && p.runnerUp !== null)).toBe(true)
    expect(new Set(idsOf(doubtful))).toEqual(new Set([2, 4, 8]))
    expect(idsOf(searchPhotos(lib.db, { doubtful: true, text: 'beach' })).sort()).toEqual([2, 4])
    movePhotos(lib, [2], groupOf(2))
    expect(new Set(idsOf(searchPhotos(lib.db, { doubtful: true })))).toEqual(new Set([4, 8]))
  })

  it('a runner-up merged into the photo’s own group is no doubt any more', () => {
    const { lib, groupOf } = library()
    // Photo 8 (group of 7–9) had the group of 10–12 as runner-up.
    mergeClusters(lib, [groupOf(10)], groupOf(8))
    const left = searchPhotos(lib.db, { doubtful: true })
    expect(new Set(idsOf(left))).toEqual(new Set([2, 4]))
    expect(left.total).toBe(2)
  })

  it('looks inside one group (merged parts included) or Unsorted', () => {
    const { lib, groupOf } = library()
    const home = groupOf(7)
    mergeClusters(lib, [groupOf(10)], home)
    expect(listGroups(lib.db).clusters).toHaveLength(2)
    expect(idsOf(searchPhotos(lib.db, { clusterId: home }))).toEqual([7, 8, 9, 10, 11, 12])
    movePhotos(lib, [5, 9], null)
    expect(idsOf(searchPhotos(lib.db, { clusterId: null }))).toEqual([5, 9])
    const unsorted = searchPhotos(lib.db, { clusterId: null }).photos[0]!
    expect(unsorted.clusterId).toBeNull()
    expect(idsOf(searchPhotos(lib.db, { clusterId: home, text: 'img_1' }))).toEqual([10, 11, 12])
  })
})
