/**
 * Edits survive retraining, through the real pipeline on real photos (caltech20, 3 classes × 10):
 * organize, merge two groups and name the result, split a group and name a part, organize again
 * with another seed (a new run), and every group the person made or named is there with all its
 * photos.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openLibrary, type Library } from '../../src/core/store/library'
import { organize, organizeParams } from '../../src/core/pipeline'
import { currentRun, listGroups, listMembers } from '../../src/core/clusters'
import { mergeClusters, renameCluster, splitCluster } from '../../src/core/edits'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

const CLASSES = ['Leopards', 'Motorbikes', 'sunflower']
const PER_CLASS = 10
process.env.KINDRED_MODELS_DIR = sharedPath('models')

let work: string
let lib: Library
beforeAll(() => {
  work = fs.mkdtempSync(path.join(tempDir(), '..', 'kindred-retrain-'))
  const photos = path.join(work, 'photos')
  for (const cls of CLASSES) {
    const source = sharedPath('datasets', 'caltech20', cls)
    fs.mkdirSync(path.join(photos, cls), { recursive: true })
    for (const file of fs.readdirSync(source).sort().slice(0, PER_CLASS))
      fs.symlinkSync(path.join(source, file), path.join(photos, cls, file))
  }
  lib = openLibrary(path.join(work, 'library'))
})
afterAll(() => {
  lib?.close()
  fs.rmSync(work, { recursive: true, force: true })
})

function members(groupId: number): number[] {
  return listMembers(lib.db, groupId, 0, 1000)
    .members.map((m) => m.photoId)
    .sort((a, b) => a - b)
}

function byName(): Map<string, { id: number; members: number[] }> {
  return new Map(
    listGroups(lib.db).clusters.map((g) => [g.name, { id: g.id, members: members(g.id) }]),
  )
}

describe('edits on retraining (real pipeline)', () => {
  it('keeps a merged and named group, a named split part and its parent, with their photos', async () => {
    const folders = [path.join(work, 'photos')]
    await organize(lib, organizeParams({ folders, clusters: 3, seed: 3 }))
    const first = currentRun(lib.db)!.id
    const [a, b, c] = listGroups(lib.db).clusters
    expect(listGroups(lib.db).clusters).toHaveLength(3)

    // Merge A into B and name it; split C in two and name the smaller part.
    const merged = [...members(a!.id), ...members(b!.id)].sort((x, y) => x - y)
    mergeClusters(lib, [a!.id], b!.id)
    renameCluster(lib, b!.id, 'Merged')
    const { clusterIds } = await splitCluster(lib, c!.id, 2)
    const [parentId, partId] = clusterIds
    renameCluster(lib, partId!, 'Part')
    const before = byName()
    const parentName = listGroups(lib.db).clusters.find((g) => g.id === parentId)!.name
    expect(before.get('Merged')!.members).toEqual(merged)
    const part = before.get('Part')!.members
    const parent = before.get(parentName)!.members
    expect(part.length).toBeGreaterThan(0)

    // Retrain: another seed makes a new run, which sees the classes as the model does (3 groups).
    await organize(lib, organizeParams({ folders, clusters: 3, seed: 4 }))
    expect(currentRun(lib.db)!.id).not.toBe(first)
    const after = byName()
    for (const photo of merged) expect(after.get('Merged')!.members).toContain(photo)
    expect(after.get('Part')!.members).toEqual(part)
    const parentAfter = [...after.values()].find((g) => g.members.includes(parent[0]!))!
    expect(parentAfter.members).toEqual(expect.arrayContaining(parent))
    expect(parentAfter.members.some((p) => part.includes(p))).toBe(false)
    // Nothing of the merge came back as a group of its own.
    for (const [name, group] of after) {
      if (name === 'Merged') continue
      expect(
        group.members.some((p) => merged.includes(p)),
        name,
      ).toBe(false)
    }
    const total = [...after.values()].reduce((n, g) => n + g.members.length, 0)
    expect(total + listGroups(lib.db).unsorted).toBe(CLASSES.length * PER_CLASS)
  })
})
