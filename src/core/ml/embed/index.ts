import type { ComputeBackend, EmbedderInfo } from '../../../shared/contract'
import type { Library } from '../../store/library'
import { INPUT_SIZE } from '../backbone'
import { DEFAULT_MODEL, librarySearch, locateModel } from '../models'
import { EmbedPool, onGpu } from '../worker'
import { augmentationsFor, viewSeed } from './augment'
import path from 'node:path'
import { legacyInputFile, networkInputFile } from '../../ingest/decode'
import {
  decodeCrops,
  decodeInput,
  decodeNetworkPixels,
  decodeStoredInput,
  type Crop,
  type Pixels,
} from './preprocess'
import {
  pendingPhotos,
  saveEmbeddings,
  usablePhotoCount,
  type EmbeddingRow,
  type PendingPhoto,
} from './store'
import { imageInput } from '../../library/paths'

export { DEFAULT_MODEL }
export { loadEmbeddings, type LoadedEmbeddings } from './store'

/**
 * Augmented views per photo unless told otherwise (view 1 mirrored, view 2 a random crop).
 * None: measured, they moved ACC by +.003 on caltech20 and within the run-to-run noise on
 * CIFAR-10, for 2 more forward passes and a second decode of each original (see
 * research/RESULTS.md); self-labeling then augments with feature dropout.
 */
export const DEFAULT_VIEWS = 0
/** Photos per committed batch: enough passes to keep every worker busy. */
const DEFAULT_BATCH = 32
/**
 * Views per forward pass: bounds the backend's activation memory on the CPU. A GPU gets 32,
 * its fastest batch (ONNX Runtime on WebGPU, H200: 5,231 img/s at 32, 1,049 at 256).
 */
function viewsPerPass(worker: EmbedPool): number {
  return onGpu(worker.info.embedder) ? 32 : 16
}

export interface EmbedOptions {
  model?: string
  /** Augmented views per photo besides view 0. */
  views?: number
  /** Photos per committed batch. */
  batchSize?: number
  /** TF.js backend to prefer; a GPU one (webgpu, tensorflow-gpu) also embeds. */
  backend?: ComputeBackend
  /** 'auto' (default): ONNX Runtime unless only a TF.js backend reaches the GPU. */
  runtime?: EmbedderInfo['runtime'] | 'auto'
  env?: NodeJS.ProcessEnv
  signal?: AbortSignal
  onProgress?(done: number, total: number): void
  /** Decode view 0 from the original photos only, never from the input import stored. */
  fromOriginals?: boolean
}

export interface EmbedResult {
  /** Photos embedded by this call (all their views). */
  embedded: number
  /** Photos that could not be decoded; they stay pending and are retried next time. */
  failed: { photoId: number; path: string; error: string }[]
  seconds: number
  /** What ran the backbone (absent when nothing needed embedding). */
  embedder?: EmbedderInfo
  views: number
}

interface Decoded {
  photo: PendingPhoto
  /** Pixels of each view in `photo.missing`, same order. */
  views?: Pixels[]
  error?: string
}

/**
 * View 0: the 224×224 input import stored from its one decode of the photo. The original is
 * decoded only when that is missing or damaged (or `fromOriginals`); an input stored by an
 * earlier version is the last resort, for an original that can't be read now.
 */
async function decodeViewZero(photo: PendingPhoto, thumbnailDir: string): Promise<Pixels> {
  if (photo.thumbnail) {
    const stored = path.join(thumbnailDir, networkInputFile(photo.thumbnail))
    const pixels = await decodeStoredInput(stored).catch(() => null)
    if (pixels) return pixels
  }
  try {
    return await decodeNetworkPixels(await imageInput(photo.path)) // bytes for a name that is not text
  } catch (error) {
    if (!photo.thumbnail) throw error
    return decodeInput(path.join(thumbnailDir, legacyInputFile(photo.thumbnail)))
  }
}

/** Decodes only the views a photo still lacks (adding views later keeps view 0 as stored). */
async function decodeMissing(
  photo: PendingPhoto,
  views: number,
  thumbnailDir: string,
): Promise<Pixels[]> {
  const crops = augmentationsFor(viewSeed(photo), views)
  const wanted = photo.missing.filter((v) => v > 0).map((v) => crops[v - 1] as Crop)
  const [plain, augmented] = await Promise.all([
    photo.missing[0] === 0 ? decodeViewZero(photo, thumbnailDir) : undefined,
    wanted.length > 0 ? imageInput(photo.path).then((input) => decodeCrops(input, wanted)) : [],
  ])
  return plain ? [plain, ...augmented] : augmented
}

function decodeBatch(
  photos: PendingPhoto[],
  views: number,
  thumbnailDir: string,
): Promise<Decoded[]> {
  return Promise.all(
    photos.map(async (photo) => {
      try {
        return { photo, views: await decodeMissing(photo, views, thumbnailDir) }
      } catch (error) {
        return { photo, error: error instanceof Error ? error.message : String(error) }
      }
    }),
  )
}

/** Runs every view of the decoded photos through the worker, a pass at a time. */
async function embedViews(worker: EmbedPool, decoded: Decoded[]): Promise<EmbeddingRow[]> {
  const jobs = decoded.flatMap((d) =>
    (d.views ?? []).map((pixels, i) => ({
      photoId: d.photo.id,
      view: d.photo.missing[i] as number,
      pixels,
    })),
  )
  const per = INPUT_SIZE * INPUT_SIZE * 3
  const size = viewsPerPass(worker)
  const passes: Promise<Float32Array>[] = []
  for (let from = 0; from < jobs.length; from += size) {
    const chunk = jobs.slice(from, from + size)
    const pixels = new Uint8Array(chunk.length * per)
    chunk.forEach((job, i) => pixels.set(job.pixels, i * per))
    passes.push(worker.embed(pixels, chunk.length))
  }
  const features = await Promise.all(passes)
  const dim = worker.info.dim
  return jobs.map((job, i) => {
    const pass = features[Math.floor(i / size)] as Float32Array
    const row = i % size
    return { photoId: job.photoId, view: job.view, vector: pass.slice(row * dim, (row + 1) * dim) }
  })
}

/** Rejects as soon as the signal fires, so a long forward pass does not delay cancelling. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

let lastEmbedder: EmbedderInfo | undefined
let probe: Promise<EmbedderInfo> | undefined

/** What ran the backbone the last time this process embedded photos. */
export function lastEmbedderUsed(): EmbedderInfo | undefined {
  return lastEmbedder
}

/**
 * What describes photos here: the embedder last used, else one worker started on the
 * installed model and closed again (once per process). Null when the model is not installed.
 */
export async function probeEmbedder(
  lib: Library,
  options: Pick<EmbedOptions, 'model' | 'backend' | 'runtime' | 'env'> = {},
): Promise<EmbedderInfo | null> {
  if (lastEmbedder) return lastEmbedder
  let dir: string
  try {
    dir = locateModel(options.model ?? DEFAULT_MODEL, {
      libraryModelsDir: lib.modelsDir,
      env: options.env,
    }).dir
  } catch {
    return null
  }
  probe ??= EmbedPool.start(dir, { ...options, workers: 1 }).then(async (pool) => {
    await pool.close()
    return pool.info.embedder
  })
  probe.catch(() => (probe = undefined))
  return probe
}

/**
 * Embeds every usable photo not yet embedded: view 0 (the photo, EXIF-upright) plus `views`
 * augmented views, in worker threads. Each batch is committed as soon as its features
 * arrive, so a kill or cancel loses only the batches still in the workers and the next call
 * resumes from there.
 */
export async function embedLibrary(lib: Library, options: EmbedOptions = {}): Promise<EmbedResult> {
  const started = performance.now()
  const model = options.model ?? DEFAULT_MODEL
  const views = options.views ?? DEFAULT_VIEWS
  const batchSize = options.batchSize ?? DEFAULT_BATCH
  if (!Number.isInteger(views) || views < 0)
    throw new Error(`views must be a whole number ≥ 0, got ${views}`)
  const { signal, onProgress } = options
  signal?.throwIfAborted()
  const location = locateModel(model, { ...librarySearch(lib), env: options.env })
  const pending = pendingPhotos(lib.db, model, views)
  const total = usablePhotoCount(lib.db)
  let done = total - pending.length
  onProgress?.(done, total)
  const result: EmbedResult = { embedded: 0, failed: [], seconds: 0, views }
  if (pending.length === 0) return { ...result, seconds: (performance.now() - started) / 1000 }

  const starting = EmbedPool.start(location.dir, {
    backend: options.backend,
    runtime: options.runtime,
    env: options.env,
  })
  const worker = await abortable(starting, signal).catch((error: unknown) => {
    // Cancelled while the workers start: close them once they are up, or their threads keep
    // the process alive after the job has stopped.
    starting.then((pool) => pool.close()).catch(() => {})
    throw error
  })
  result.embedder = worker.info.embedder
  lastEmbedder = worker.info.embedder
  const save = (decoded: Decoded[], rows: EmbeddingRow[]) => {
    signal?.throwIfAborted()
    saveEmbeddings(lib.db, model, rows)
    for (const d of decoded) {
      if (d.error === undefined) result.embedded++
      else result.failed.push({ photoId: d.photo.id, path: d.photo.path, error: d.error })
    }
    done += decoded.length
    onProgress?.(done, total)
  }
  try {
    // Three stages overlap: decoding batch i+1 (libvips threads), the forward passes of
    // batch i (workers), and storing batch i−1 (this thread), so no worker waits on a commit.
    const dir = options.fromOriginals ? '' : lib.thumbnailDir
    const unthumbed = (photos: PendingPhoto[]) =>
      options.fromOriginals ? photos.map((p) => ({ ...p, thumbnail: null })) : photos
    let next = decodeBatch(unthumbed(pending.slice(0, batchSize)), views, dir)
    let inFlight: { decoded: Decoded[]; rows: Promise<EmbeddingRow[]> } | undefined
    for (let from = 0; from < pending.length; from += batchSize) {
      const decoded = await abortable(next, signal)
      if (from + batchSize < pending.length) {
        next = decodeBatch(
          unthumbed(pending.slice(from + batchSize, from + 2 * batchSize)),
          views,
          dir,
        )
      }
      const rows = embedViews(worker, decoded)
      rows.catch(() => {}) // awaited below; keeps an early failure from going unhandled
      if (inFlight) save(inFlight.decoded, await abortable(inFlight.rows, signal))
      inFlight = { decoded, rows }
    }
    if (inFlight) save(inFlight.decoded, await abortable(inFlight.rows, signal))
  } finally {
    await worker.close()
  }
  result.seconds = (performance.now() - started) / 1000
  return result
}
