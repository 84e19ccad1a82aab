import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { importFolders } from '../../src/core/ingest'
import { DEFAULT_MODEL, embedLibrary } from '../../src/core/ml/embed'
import { ensureNeighbours, usableFeatures } from '../../src/core/pipeline'
import type { Library } from '../../src/core/store/library'
import { sharedPath } from '../helpers/shared'
import os from 'node:os'

process.env.KINDRED_MODELS_DIR = sharedPath('models')

/** Real Caltech photos: four butterflies (look-alikes of one kind) and a sunflower. */
const ORIGINALS = [
  ['butterfly', 'image_0001.jpg'],
  ['butterfly', 'image_0002.jpg'],
  ['butterfly', 'image_0003.jpg'],
  ['butterfly', 'image_0004.jpg'],
  ['sunflower', 'image_0001.jpg'],
] as const

/**
 * Edited copies made now with sharp: butterfly 1 re-saved at a low quality and cropped a
 * little, butterfly 2 made brighter. Each must join its original's set, and nothing else.
 */
async function makeCopies(dir: string): Promise<void> {
  const b1 = sharedPath('datasets', 'caltech20', 'butterfly', 'image_0001.jpg')
  const b2 = sharedPath('datasets', 'caltech20', 'butterfly', 'image_0002.jpg')
  const { width = 0, height = 0 } = await sharp(b1).metadata()
  await sharp(b1).jpeg({ quality: 50 }).toFile(path.join(dir, 'butterfly-1-resaved.jpg'))
  await sharp(b1)
    .extract({
      left: Math.round(width * 0.05),
      top: Math.round(height * 0.05),
      width: Math.round(width * 0.9),
      height: Math.round(height * 0.9),
    })
    .toFile(path.join(dir, 'butterfly-1-cropped.jpg'))
  await sharp(b2).modulate({ brightness: 1.2 }).toFile(path.join(dir, 'butterfly-2-brighter.jpg'))
}

const suiteDirs: string[] = []

/** A temporary folder that lasts for the whole test file (tempDir's go after each test). */
export function suiteDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  suiteDirs.push(dir)
  return dir
}

/** Removes the folders suiteDir made; for afterAll. */
export function removeSuiteDirs(): void {
  for (const dir of suiteDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

/** A folder of the originals (named `<class>-<n>.jpg`) and their edited copies. */
export async function duplicatePhotos(): Promise<string> {
  const dir = suiteDir('kindred-dups-photos-')
  for (const [cls, file] of ORIGINALS) {
    const n = Number(/\d+/.exec(file)![0])
    fs.copyFileSync(
      sharedPath('datasets', 'caltech20', cls, file),
      path.join(dir, `${cls}-${n}.jpg`),
    )
  }
  await makeCopies(dir)
  return dir
}

/** Imports, embeds with the real backbone and stores every photo's neighbours, as organize does. */
export async function embedAndLink(lib: Library, folder: string): Promise<void> {
  await importFolders(lib, [folder])
  await embedLibrary(lib)
  const features = usableFeatures(lib.db, DEFAULT_MODEL)
  await ensureNeighbours(lib.db, DEFAULT_MODEL, features, features.ids.length - 1)
}

/** A finished run with one group holding every photo, so that edits have groups to act on. */
export function oneGroupRun(lib: Library): { runId: number; clusterId: number } {
  const now = Date.now()
  const runId = Number(
    lib.db
      .prepare(`INSERT INTO runs (model, state, created_at, finished_at) VALUES (?, 'done', ?, ?)`)
      .run(DEFAULT_MODEL, now, now).lastInsertRowid,
  )
  const clusterId = Number(
    lib.db.prepare(`INSERT INTO clusters (run_id, idx) VALUES (?, 0)`).run(runId).lastInsertRowid,
  )
  lib.db
    .prepare(
      `INSERT INTO assignments (photo_id, run_id, cluster_id, probability, confidence)
       SELECT id, ?, ?, 0.9, 0.9 FROM photos WHERE status = 'ok' AND duplicate_of IS NULL`,
    )
    .run(runId, clusterId)
  return { runId, clusterId }
}

/** Photo ids by file name. */
export function idsByName(lib: Library): Map<string, number> {
  const rows = lib.db.prepare(`SELECT id, path FROM photos`).all() as { id: number; path: string }[]
  return new Map(rows.map((r) => [path.basename(r.path), r.id]))
}
