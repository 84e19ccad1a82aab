import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_MODEL, embedLibrary, loadEmbeddings } from '../../../src/core/ml/embed'
import { openLibrary, type Library } from '../../../src/core/store/library'
import { sharedPath } from '../../helpers/shared'
import { tempDir } from '../../helpers/tmp'
import { addPhotos } from './library'

const env = { KINDRED_MODELS_DIR: sharedPath('models'), KINDRED_EMBED_WORKERS: '1' }

function firstPhotos(className: string, count: number): string[] {
  const dir = sharedPath('datasets', 'caltech20', className)
  return fs
    .readdirSync(dir)
    .sort()
    .slice(0, count)
    .map((f) => path.join(dir, f))
}

function row(data: Float32Array, dim: number, i: number): Float32Array {
  return data.subarray(i * dim, (i + 1) * dim)
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number)
  return s
}

describe('embedLibrary', () => {
  let lib: Library
  beforeEach(() => {
    lib = openLibrary(tempDir())
  })
  afterEach(() => lib.close())

  it('stores unit-length 1280-d view 0 and augmented views, and resumes without redoing work', async () => {
    const files = [...firstPhotos('Motorbikes', 3), ...firstPhotos('bonsai', 3)]
    const ids = addPhotos(lib, files)
    const progress: [number, number][] = []
    const first = await embedLibrary(lib, {
      views: 2,
      batchSize: 4,
      env,
      onProgress: (done, total) => progress.push([done, total]),
    })
    expect(first).toMatchObject({
      embedded: 6,
      failed: [],
      views: 2,
      embedder: { runtime: 'onnxruntime', provider: 'cpu' },
    })
    expect(progress.at(0)).toEqual([0, 6])
    expect(progress.at(-1)).toEqual([6, 6])

    const plain = loadEmbeddings(lib.db, DEFAULT_MODEL, 0)
    expect(plain.ids).toEqual(ids)
    expect(plain.dim).toBe(1280)
    for (let i = 0; i < ids.length; i++)
      expect(Math.hypot(...row(plain.data, 1280, i))).toBeCloseTo(1, 4)

    // The same class is closer than the other class (real features, real photos).
    const same = dot(row(plain.data, 1280, 0), row(plain.data, 1280, 1))
    const other = dot(row(plain.data, 1280, 0), row(plain.data, 1280, 4))
    expect(same).toBeGreaterThan(other)

    for (const view of [1, 2]) {
      const augmented = loadEmbeddings(lib.db, DEFAULT_MODEL, view)
      expect(augmented.ids).toEqual(ids)
      const cosine = dot(row(plain.data, 1280, 0), row(augmented.data, 1280, 0))
      expect(cosine).toBeGreaterThan(0.5) // still the same photo…
      expect(cosine).toBeLessThan(0.9999) // …but a different view of it
    }

    const again = await embedLibrary(lib, { views: 2, env })
    expect(again.embedded).toBe(0)
    expect(again.embedder).toBeUndefined() // no worker was started
  })

  it('adds views later without recomputing the stored ones', async () => {
    const ids = addPhotos(lib, firstPhotos('bonsai', 2))
    await embedLibrary(lib, { views: 0, env })
    const stamp = () =>
      lib.db
        .prepare(
          'SELECT photo_id, view, created_at, vector FROM embeddings ORDER BY photo_id, view',
        )
        .all()
    const before = stamp()
    expect(before).toHaveLength(2)
    const more = await embedLibrary(lib, { views: 2, env })
    expect(more.embedded).toBe(2)
    const after = stamp() as { view: number }[]
    expect(after).toHaveLength(6)
    expect(after.filter((r) => r.view === 0)).toEqual(before) // view 0 rows untouched
    expect(loadEmbeddings(lib.db, DEFAULT_MODEL, 2).ids).toEqual(ids)
  })

  it('reports photos it cannot decode and keeps going', async () => {
    const broken = sharedPath('fixtures', 'formats', 'corrupt-header.jpg')
    const [good, bad] = addPhotos(lib, [firstPhotos('bonsai', 1)[0] as string, broken])
    const result = await embedLibrary(lib, { views: 0, env })
    expect(result.embedded).toBe(1)
    expect(result.failed).toHaveLength(1)
    expect(result.failed[0]).toMatchObject({ photoId: bad, path: broken })
    expect(result.failed[0]?.error).toMatch(/corrupt|JPEG/i)
    expect(loadEmbeddings(lib.db, DEFAULT_MODEL).ids).toEqual([good])
  })

  it('stops on abort after committing whole batches, and a second run finishes the rest', async () => {
    addPhotos(lib, firstPhotos('Motorbikes', 8))
    const controller = new AbortController()
    const run = embedLibrary(lib, {
      views: 0,
      batchSize: 2,
      env,
      signal: controller.signal,
      onProgress: (done) => {
        if (done >= 2) controller.abort()
      },
    })
    await expect(run).rejects.toThrow(/abort/i)
    const kept = loadEmbeddings(lib.db, DEFAULT_MODEL).ids.length
    expect(kept).toBeGreaterThanOrEqual(2)
    expect(kept).toBeLessThan(8)
    const rest = await embedLibrary(lib, { views: 0, env })
    expect(rest.embedded).toBe(8 - kept)
    expect(loadEmbeddings(lib.db, DEFAULT_MODEL).ids).toHaveLength(8)
  })

  it('gives the same features on ONNX Runtime as on TF.js (the GPU path through WebGPU)', async () => {
    addPhotos(lib, [...firstPhotos('Motorbikes', 2), ...firstPhotos('bonsai', 2)])
    const onnx = await embedLibrary(lib, { views: 1, env })
    expect(onnx.embedder?.runtime).toBe('onnxruntime')
    const fromOnnx = [0, 1].map((v) => loadEmbeddings(lib.db, DEFAULT_MODEL, v))
    lib.db.prepare('DELETE FROM embeddings').run()
    const tfjs = await embedLibrary(lib, { views: 1, runtime: 'tfjs', backend: 'wasm', env })
    expect(tfjs.embedder).toMatchObject({ runtime: 'tfjs', provider: 'wasm' })
    for (const view of [0, 1]) {
      const a = fromOnnx[view]!
      const b = loadEmbeddings(lib.db, DEFAULT_MODEL, view)
      expect(b.ids).toEqual(a.ids)
      for (let i = 0; i < a.ids.length; i++)
        expect(dot(row(a.data, 1280, i), row(b.data, 1280, i))).toBeGreaterThan(0.9999)
    }
  })

  it('refuses an unknown KINDRED_EMBEDDER with the accepted values', async () => {
    addPhotos(lib, firstPhotos('bonsai', 1))
    await expect(
      embedLibrary(lib, { views: 0, env: { ...env, KINDRED_EMBEDDER: 'tpu' } }),
    ).rejects.toThrow(/KINDRED_EMBEDDER=tpu is not known; use onnxruntime, tfjs or auto/)
  })

  it('says how to install the model when it is missing', async () => {
    addPhotos(lib, firstPhotos('bonsai', 1))
    const empty = tempDir()
    await expect(embedLibrary(lib, { env: { KINDRED_MODELS_DIR: empty } })).rejects.toThrow(
      /kindred models install --from/,
    )
  })
})
