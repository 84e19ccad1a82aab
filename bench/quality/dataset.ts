// Labelled photo sets and their embedding cache. Every photo is embedded once with the product's
// backbone (view 0, L2-normalised) and kept outside git:
//   <cache>/<set>.f32   float32 rows, dim per photo, in `order` (classes interleaved, so that
//                       any prefix of a half-built cache is a roughly balanced subset)
//   <cache>/<set>.json  {dim, classes, files, labels, listing}: the photos of the rows
// <cache> is $KINDRED_QUALITY_CACHE or .cache/quality. An interrupted build resumes where it
// stopped; a changed listing (photos added or removed) starts the set again.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { INPUT_SIZE, loadOnnxBackbone, type OnnxBackbone } from '../../src/core/ml/backbone'
import { DEFAULT_MAX_PIXELS } from '../../src/core/ingest/decode'
import { decodeUpright, networkPixelsOf } from '../../src/core/ingest/upright'
import { decodeNetworkPixels } from '../../src/core/ml/embed/preprocess'
import { normaliseRows } from '../../src/core/ml/rows'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const sharedDir = path.resolve(process.env.KINDRED_SHARED ?? path.join(root, '..', 'shared'))
export const cacheDir = path.resolve(
  process.env.KINDRED_QUALITY_CACHE ?? path.join(root, '.cache', 'quality'),
)
const IMAGE = /\.(jpe?g|png|webp|tiff?|gif|avif|heic|heif)$/i
const BATCH = 16

/** Photos of one labelled set in cache-row order. */
export interface Listing {
  classes: string[]
  /** Paths relative to the set's folder. */
  files: string[]
  labels: number[]
}

/** Embedded photos of one set: row i of `features` is files[i], class labels[i]. */
export interface LabelledSet extends Listing {
  name: string
  n: number
  dim: number
  features: Float32Array
}

/** Photos of a set, one class per sub-folder, interleaved class by class (round robin). */
export function listSet(dir: string): Listing {
  const classes = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
  const perClass = classes.map((name) =>
    fs
      .readdirSync(path.join(dir, name))
      .filter((f) => IMAGE.test(f))
      .sort()
      .map((f) => path.join(name, f)),
  )
  const files: string[] = []
  const labels: number[] = []
  const longest = Math.max(0, ...perClass.map((f) => f.length))
  for (let i = 0; i < longest; i++)
    perClass.forEach((list, label) => {
      if (i < list.length) {
        files.push(list[i]!)
        labels.push(label)
      }
    })
  return { classes, files, labels }
}

/**
 * What the network sees: what import stores from its one decode of the photo (default, as
 * organize embeds), or, with KINDRED_QUALITY_INPUT=original, the original decoded directly
 * (the cache is then `<set>.original.f32`).
 */
const INPUT = process.env.KINDRED_QUALITY_INPUT === 'original' ? 'original' : 'import'

function paths(set: string) {
  return {
    rows: path.join(cacheDir, `${set}${INPUT === 'original' ? '.original' : ''}.f32`),
    meta: path.join(cacheDir, `${set}${INPUT === 'original' ? '.original' : ''}.json`),
  }
}

interface CacheMeta extends Listing {
  dim: number
}

function readMeta(file: string): CacheMeta | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as CacheMeta
  } catch {
    return undefined
  }
}

function sameListing(a: Listing, b: Listing): boolean {
  return a.files.length === b.files.length && a.files.every((f, i) => f === b.files[i])
}

/** Rows already in the cache for `set` (0 when absent or built from another listing). */
export function cachedRows(set: string, listing: Listing): number {
  const p = paths(set)
  const meta = readMeta(p.meta)
  if (!meta || !sameListing(meta, listing) || !fs.existsSync(p.rows)) return 0
  return Math.floor(fs.statSync(p.rows).size / (4 * meta.dim))
}

async function embedBatch(backbone: OnnxBackbone, views: Uint8Array[]): Promise<Float32Array> {
  const per = INPUT_SIZE * INPUT_SIZE * 3
  const pixels = new Uint8Array(views.length * per)
  views.forEach((v, i) => pixels.set(v, i * per))
  return normaliseRows(await backbone.run(pixels, views.length), backbone.dim)
}

async function viewOf(file: string): Promise<Uint8Array> {
  if (INPUT === 'original') return decodeNetworkPixels(file)
  return networkPixelsOf(await decodeUpright(file, DEFAULT_MAX_PIXELS))
}

/**
 * Embeds the photos of `set` that the cache lacks, at most `limit` rows in all (the cache keeps
 * whatever was done if stopped). Returns the number of rows cached.
 */
export async function buildCache(set: string, limit = Infinity): Promise<number> {
  const dir = path.join(sharedDir, 'datasets', set)
  const listing = listSet(dir)
  const p = paths(set)
  fs.mkdirSync(cacheDir, { recursive: true })
  let done = cachedRows(set, listing)
  const target = Math.min(limit, listing.files.length)
  if (done >= target) return done
  const backbone = await loadOnnxBackbone(path.join(sharedDir, 'models', 'mobilenet_v2_1.0_224'))
  try {
    if (done === 0) {
      fs.writeFileSync(p.meta, JSON.stringify({ dim: backbone.dim, ...listing }))
      fs.writeFileSync(p.rows, new Uint8Array(0))
    } else {
      // Drop a partly written last row, if any.
      fs.truncateSync(p.rows, done * backbone.dim * 4)
    }
    const started = performance.now()
    const first = done
    const fd = fs.openSync(p.rows, 'a')
    try {
      const decode = (from: number) =>
        Promise.all(
          listing.files
            .slice(from, Math.min(target, from + BATCH))
            .map((f) => viewOf(path.join(dir, f))),
        )
      let next = decode(done)
      while (done < target) {
        const pixels = await next
        // Decode the next batch (libvips threads) while this one runs through the network.
        if (done + pixels.length < target) next = decode(done + pixels.length)
        const files = pixels
        const rows = await embedBatch(backbone, pixels)
        fs.writeSync(fd, new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength))
        done += files.length
        if ((done - first) % (BATCH * 25) < BATCH || done === target) {
          const rate = (done - first) / ((performance.now() - started) / 1000)
          console.log(
            `${set}: ${done}/${listing.files.length} cached (${rate.toFixed(1)} photos/s)`,
          )
        }
      }
    } finally {
      fs.closeSync(fd)
    }
  } finally {
    await backbone.dispose()
  }
  return done
}

/**
 * The first `maxRows` cached rows of `set` (a class-balanced prefix: rows are interleaved), or
 * fewer while the cache is partial.
 */
export function loadSet(set: string, maxRows = Infinity): LabelledSet {
  const p = paths(set)
  const meta = readMeta(p.meta)
  if (!meta || !fs.existsSync(p.rows))
    throw new Error(`no embedding cache for ${set} in ${cacheDir}: run with --build-cache first`)
  const cached = Math.floor(fs.statSync(p.rows).size / (4 * meta.dim))
  const n = Math.min(meta.files.length, cached, maxRows)
  const buffer = fs.readFileSync(p.rows)
  const features = new Float32Array(
    buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + n * meta.dim * 4),
  )
  return {
    name: set,
    n,
    dim: meta.dim,
    classes: meta.classes,
    files: meta.files.slice(0, n),
    labels: meta.labels.slice(0, n),
    features,
  }
}

/** The sets the benchmark draws libraries from. */
export const SETS = ['caltech20', 'cifar10-test'] as const
