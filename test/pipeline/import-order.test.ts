/**
 * Same seed, same groups, whatever the import order: photo ids follow the order imports finish
 * in, so training must not follow the ids. Two fresh libraries import the same photos in
 * opposite orders and must group them identically, and split a group identically too.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openLibrary, type Library } from '../../src/core/store/library'
import { importFolders } from '../../src/core/ingest'
import { organize, organizeParams } from '../../src/core/pipeline'
import { listGroups, listMembers, photoPaths } from '../../src/core/clusters'
import { splitCluster } from '../../src/core/edits'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

process.env.KINDRED_MODELS_DIR = sharedPath('models')
const CLASSES = ['chair', 'crab', 'cup', 'llama']
const PER_CLASS = 8

const libs: Library[] = []
afterEach(() => libs.splice(0).forEach((lib) => lib.close()))

/** Two folders of symlinks, each with half of every class's photos. */
function twoHalves(): [string, string] {
  const root = tempDir('kindred-order-photos-')
  const halves: [string, string] = [path.join(root, 'a'), path.join(root, 'b')]
  for (const cls of CLASSES) {
    const source = sharedPath('datasets', 'caltech20', cls)
    fs.readdirSync(source)
      .sort()
      .slice(0, PER_CLASS)
      .forEach((file, i) => {
        const dir = path.join(halves[i % 2]!, cls)
        fs.mkdirSync(dir, { recursive: true })
        fs.symlinkSync(path.join(source, file), path.join(dir, file))
      })
  }
  return halves
}

/** Each photo's group as the sorted list of the real paths of its group's members. */
function grouping(lib: Library): Map<string, string> {
  const out = new Map<string, string>()
  const groups = [...listGroups(lib.db).clusters.map((g) => g.id), null]
  for (const id of groups) {
    const ids = listMembers(lib.db, id, 0, 10_000).members.map((m) => m.photoId)
    const files = photoPaths(lib.db, ids).map((p) => fs.realpathSync(p))
    const key = `${id === null ? 'Unsorted' : 'group'}:${[...files].sort().join('|')}`
    for (const file of files) out.set(file, key)
  }
  return out
}

async function organizedIn(order: string[]): Promise<Library> {
  const lib = openLibrary(tempDir('kindred-order-lib-'))
  libs.push(lib)
  for (const folder of order) await importFolders(lib, [folder])
  await organize(lib, organizeParams({ folders: [], clusters: 4, seed: 3, views: 0 }))
  return lib
}

describe('import order', () => {
  // Two libraries embedded and trained: minutes on a busy machine.
  it(
    'two libraries of the same photos imported in opposite orders get identical groups and splits',
    { timeout: 600_000 },
    async () => {
      const [a, b] = twoHalves()
      const first = await organizedIn([a, b])
      const second = await organizedIn([b, a])
      // The photo ids really differ between the two libraries.
      const idOf = (lib: Library, file: string) =>
        lib.db.prepare(`SELECT id FROM photos WHERE path = ?`).pluck().get(file) as number
      const sample = path.join(a, CLASSES[0]!, fs.readdirSync(path.join(a, CLASSES[0]!))[0]!)
      expect(idOf(first, sample)).not.toBe(idOf(second, sample))

      const one = grouping(first)
      const two = grouping(second)
      expect(one.size).toBe(CLASSES.length * PER_CLASS)
      expect(two).toEqual(one)

      // A person's split of the same group gives the same parts in both libraries.
      const real = fs.realpathSync(sample)
      const groupOf = (lib: Library) =>
        lib.db
          .prepare(
            `SELECT a.cluster_id FROM assignments a JOIN photos p ON p.id = a.photo_id
             WHERE p.path = ? AND a.run_id = (SELECT max(id) FROM runs WHERE state = 'done')`,
          )
          .pluck()
          .get(sample) as number
      expect(one.get(real)).toMatch(/^group:/)
      await splitCluster(first, groupOf(first), 3)
      await splitCluster(second, groupOf(second), 3)
      expect(grouping(second)).toEqual(grouping(first))
    },
  )
})
