/**
 * A first import of two folders, one kind each (20 Motorbikes, 20 sunflowers), organized with
 * `auto` through the real pipeline: one group per kind, not a kind cut into several groups.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { openLibrary, type Library } from '../../src/core/store/library'
import { organize, organizeParams } from '../../src/core/pipeline'
import { listGroups, listMembers } from '../../src/core/clusters'
import { linkCaltechPhotos, sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

process.env.KINDRED_MODELS_DIR = sharedPath('models')

const KINDS = ['Motorbikes', 'sunflower']
const PER_KIND = 20

const libs: Library[] = []
afterEach(() => libs.splice(0).forEach((lib) => lib.close()))

describe('a first import of two folders', { timeout: 600_000 }, () => {
  it('gives each kind one main group, with at most one small piece left over', async () => {
    const lib = openLibrary(tempDir('kindred-first-import-lib-'))
    libs.push(lib)
    // Each photo is named after its kind, so that a group's kinds can be read.
    const folder = linkCaltechPhotos(tempDir('kindred-first-import-'), KINDS, 0, PER_KIND, {
      classInName: true,
    })
    const params = organizeParams({ folders: [folder], clusters: 'auto', seed: 0, views: 0 })
    await organize(lib, params)
    const groups = listGroups(lib.db).clusters
    const kindsOf = groups.map((g) =>
      listMembers(lib.db, g.id, 0, 1000).members.map((m) => m.fileName.split('-')[0]!),
    )
    // Every group holds one kind.
    for (const kinds of kindsOf) expect(new Set(kinds).size).toBe(1)
    // Each kind's largest group holds at least 15 of its 20 photos.
    for (const kind of KINDS) {
      const largest = Math.max(...kindsOf.map((k) => k.filter((x) => x === kind).length))
      expect(largest).toBeGreaterThanOrEqual(15)
    }
    // With the typical pair taken over groups (the rule before), these photos made 4 groups.
    expect(groups.length).toBeLessThanOrEqual(3)
  })
})
