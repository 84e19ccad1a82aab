/**
 * Bursts through the real pipeline: a library of two kinds where three photos were each shot 5
 * times in a row (near-copies with EXIF capture times a second apart). Training learns from one
 * photo per burst: two groups, one per kind. Without capture times every photo is learnt from,
 * and each burst is a tight clump that makes a group of its own.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { openLibrary, type Library } from '../../src/core/store/library'
import { organize, organizeParams } from '../../src/core/pipeline'
import { getRun, listGroups, listMembers } from '../../src/core/clusters'
import { BURSTS, folderWithBursts, KINDS, PER_KIND, SHOTS } from '../helpers/bursts'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

process.env.KINDRED_MODELS_DIR = sharedPath('models')

async function libraryWithBursts(timed: boolean): Promise<Library> {
  const folder = await folderWithBursts(timed)
  const lib = openLibrary(tempDir('kindred-bursts-lib-'))
  libs.push(lib)
  await organize(lib, organizeParams({ folders: [folder], clusters: 'auto', seed: 0, views: 0 }))
  return lib
}

/** Each group's photos by file name. */
function groupsByName(lib: Library): string[][] {
  return listGroups(lib.db).clusters.map((g) =>
    listMembers(lib.db, g.id, 0, 1000).members.map((m) => m.fileName),
  )
}

function scanMetrics(lib: Library): { photos: number; leftInBursts: number } {
  const runId = lib.db.prepare(`SELECT MAX(id) FROM runs`).pluck().get() as number
  return getRun(lib.db, runId)!.metrics.scan as { photos: number; leftInBursts: number }
}

const libs: Library[] = []
afterEach(() => libs.splice(0).forEach((lib) => lib.close()))

describe('photos shot in bursts', { timeout: 600_000 }, () => {
  const total = KINDS.length * PER_KIND + BURSTS * SHOTS

  it('are learnt from once per burst, and land with their kind', async () => {
    const lib = await libraryWithBursts(true)
    expect(scanMetrics(lib)).toMatchObject({
      photos: total - BURSTS * (SHOTS - 1),
      leftInBursts: 12,
    })
    const groups = groupsByName(lib)
    expect(groups).toHaveLength(2)
    for (const names of groups) expect(new Set(names.map((n) => n.split('-')[0]))).toHaveLength(1)
    const sunflowers = groups.find((names) => names[0]!.startsWith('sunflower'))!
    // Every shot of every burst is there (a sunflower or two may wait in Unsorted).
    expect(sunflowers.filter((n) => n.includes('-burst'))).toHaveLength(BURSTS * SHOTS)
  })

  it('without capture times are all learnt from', async () => {
    const lib = await libraryWithBursts(false)
    expect(scanMetrics(lib)).toMatchObject({ photos: total, leftInBursts: 0 })
    expect(groupsByName(lib).length).toBeGreaterThan(2)
  })
})
