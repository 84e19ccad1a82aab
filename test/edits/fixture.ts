import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { openLibrary, type Library } from '../../src/core/store/library'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

export const MODEL = 'fixture-thumb-8x8'
export const CLASSES = ['Leopards', 'Motorbikes', 'sunflower'] as const

export interface Fixture {
  lib: Library
  libDir: string
  photosDir: string
  runId: number
  /** Cluster id per class, in CLASSES order. */
  clusterIds: number[]
  /** Photo ids per class, in CLASSES order. */
  photosByClass: number[][]
  /** A usable photo with no assignment (Unsorted). */
  unsortedId: number
}

/**
 * Features that need no ML code: the photo shrunk to 8×8 RGB. Crude, but real, and enough to
 * tell spotted leopards from motorbikes on white.
 */
async function thumbFeature(file: string): Promise<Float32Array> {
  const raw = await sharp(file).removeAlpha().resize(8, 8, { fit: 'fill' }).raw().toBuffer()
  return Float32Array.from(raw, (v) => v / 255)
}

function insertPhoto(lib: Library, folderId: number, file: string): number {
  const stat = fs.statSync(file)
  return Number(
    lib.db
      .prepare(
        `INSERT INTO photos (folder_id, path, size, mtime_ms, format, status, imported_at, updated_at)
         VALUES (?, ?, ?, ?, 'jpeg', 'ok', ?, ?)`,
      )
      .run(folderId, file, stat.size, Math.round(stat.mtimeMs), Date.now(), Date.now())
      .lastInsertRowid,
  )
}

/**
 * A library with real Caltech photos copied into a temp folder (so ../shared is never touched),
 * one finished run with one group per class, and one unsorted photo. Every class folder has
 * the same file names (image_0001.jpg…), which exercises export name collisions.
 */
export async function buildFixture(perClass = 6): Promise<Fixture> {
  const root = tempDir('kindred-edits-')
  const libDir = path.join(root, 'library')
  const photosDir = path.join(root, 'photos')
  const lib = openLibrary(libDir)
  const folderId = Number(
    lib.db.prepare(`INSERT INTO folders (path, added_at) VALUES (?, ?)`).run(photosDir, Date.now())
      .lastInsertRowid,
  )
  const runId = Number(
    lib.db
      .prepare(`INSERT INTO runs (model, state, created_at, finished_at) VALUES (?, 'done', ?, ?)`)
      .run(MODEL, Date.now(), Date.now()).lastInsertRowid,
  )
  const addEmbedding = lib.db.prepare(
    `INSERT INTO embeddings (photo_id, model, view, dim, vector, created_at) VALUES (?, ?, 0, ?, ?, ?)`,
  )
  const clusterIds: number[] = []
  const photosByClass: number[][] = []
  for (const [idx, name] of CLASSES.entries()) {
    clusterIds.push(
      Number(
        lib.db.prepare(`INSERT INTO clusters (run_id, idx) VALUES (?, ?)`).run(runId, idx)
          .lastInsertRowid,
      ),
    )
    const dir = path.join(photosDir, name)
    fs.mkdirSync(dir, { recursive: true })
    const ids: number[] = []
    const files = fs
      .readdirSync(sharedPath('datasets', 'caltech20', name))
      .sort()
      .slice(0, perClass)
    for (const file of files) {
      const target = path.join(dir, file)
      fs.copyFileSync(sharedPath('datasets', 'caltech20', name, file), target)
      const id = insertPhoto(lib, folderId, target)
      const feature = await thumbFeature(target)
      addEmbedding.run(id, MODEL, feature.length, Buffer.from(feature.buffer), Date.now())
      ids.push(id)
    }
    photosByClass.push(ids)
  }
  const assign = lib.db.prepare(
    `INSERT INTO assignments (photo_id, run_id, cluster_id, probability, confidence, runner_up_cluster_id)
     VALUES (?, ?, ?, 0.9, 0.8, ?)`,
  )
  photosByClass.forEach((ids, c) => {
    for (const id of ids)
      assign.run(id, runId, clusterIds[c], clusterIds[(c + 1) % clusterIds.length])
  })
  const unsortedFile = path.join(photosDir, 'loose', 'image_0001.jpg')
  fs.mkdirSync(path.dirname(unsortedFile), { recursive: true })
  fs.copyFileSync(sharedPath('datasets', 'caltech20', 'bonsai', 'image_0001.jpg'), unsortedFile)
  const unsortedId = insertPhoto(lib, folderId, unsortedFile)
  return { lib, libDir, photosDir, runId, clusterIds, photosByClass, unsortedId }
}

/** Everything an edit may change, to compare before and after. */
export function dumpEditable(lib: Library): unknown {
  return {
    clusters: lib.db.prepare(`SELECT * FROM clusters ORDER BY id`).all(),
    assignments: lib.db.prepare(`SELECT * FROM assignments ORDER BY run_id, photo_id`).all(),
    edits: lib.db.prepare(`SELECT id, kind, label, undone FROM edits ORDER BY id`).all(),
  }
}

export function clusterOf(lib: Library, runId: number, photoId: number): number | null | undefined {
  const row = lib.db
    .prepare(`SELECT cluster_id FROM assignments WHERE run_id = ? AND photo_id = ?`)
    .get(runId, photoId) as { cluster_id: number | null } | undefined
  return row?.cluster_id
}
