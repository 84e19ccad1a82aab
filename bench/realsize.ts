// Real-size photos: import + embedding of 12 MP phone-like JPEGs (4032×3024, quality 90,
// 3–6 MB each). They are generated here on first use, never committed: caltech20 photos
// upscaled with sensor-like noise (so they do not compress to nothing), a quarter of them
// stored rotated with an EXIF orientation. Encoding 12 MP is slow on 2 cores, so 48 distinct
// pictures are encoded and each is written into several files that differ by a JPEG comment
// (different content, so none is a duplicate; every file is decoded in full).
// Kept in .cache/realsize (git-ignored) for reruns.
// Prints import, embedding and combined photos/s and the peak RSS (workers included).
// Usage: npm run bench:realsize [-- --photos 240]
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { importFolders } from '../src/core/ingest'
import { embedLibrary } from '../src/core/ml/embed'
import { openLibrary } from '../src/core/store/library'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const shared = path.resolve(process.env.KINDRED_SHARED ?? path.join(root, '..', 'shared'))
process.env.KINDRED_MODELS_DIR ??= path.join(shared, 'models')
const args = process.argv.slice(2)
const count = Number(args[args.indexOf('--photos') + 1] || 0) || 240
const WIDTH = 4032
const HEIGHT = 3024
const cache = path.join(root, '.cache', 'realsize')
const baseFolder = path.join(cache, `pictures-${WIDTH}x${HEIGHT}`)
const folder = path.join(cache, `photos-${WIDTH}x${HEIGHT}-${count}`)
const ORIENTATIONS = [6, 8, 3] // rotated 90° both ways and 180°

/** Every n-th caltech20 photo, so classes and sizes vary. */
function sources(n: number): string[] {
  const dir = path.join(shared, 'datasets', 'caltech20')
  const all = fs
    .readdirSync(dir)
    .sort()
    .flatMap((c) =>
      fs
        .readdirSync(path.join(dir, c))
        .sort()
        .map((f) => path.join(dir, c, f)),
    )
  const step = Math.max(1, Math.floor(all.length / n))
  return all.filter((_, i) => i % step === 0).slice(0, n)
}

/** A fast deterministic PRNG for the noise (Math.random is far slower per byte). */
function noiseBytes(length: number, seed: number): Int8Array {
  const out = new Int8Array(length)
  let s = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    // Sum of two uniforms, σ ≈ 10 levels: a phone sensor at indoor ISO.
    out[i] = ((s & 31) + ((s >>> 8) & 15) - 23) as number
  }
  return out
}

async function makePhoto(source: string, target: string, index: number): Promise<void> {
  const orientation = index % 4 === 3 ? ORIENTATIONS[(index >> 2) % 3]! : 1
  // Stored sideways for 6 and 8, so that the EXIF orientation turns it back to 4032×3024.
  const [w, h] = orientation === 6 || orientation === 8 ? [HEIGHT, WIDTH] : [WIDTH, HEIGHT]
  const base = await sharp(source)
    .rotate(orientation === 6 ? -90 : orientation === 8 ? 90 : orientation === 3 ? 180 : 0)
    .resize(w, h, { fit: 'cover', kernel: 'cubic' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer()
  const noise = noiseBytes(base.length, index + 1)
  for (let i = 0; i < base.length; i++) {
    const v = (base[i] as number) + (noise[i] as number)
    base[i] = v < 0 ? 0 : v > 255 ? 255 : v
  }
  await sharp(base, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 90 })
    .withMetadata({ orientation })
    .toFile(target)
}

const DISTINCT = 48

/** The same JPEG with a comment segment after SOI: other bytes, the same picture. */
function withComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1')
  const marker = Buffer.from([0xff, 0xfe, (body.length + 2) >> 8, (body.length + 2) & 255])
  return Buffer.concat([jpeg.subarray(0, 2), marker, body, jpeg.subarray(2)])
}

async function ensurePhotos(): Promise<string[]> {
  fs.mkdirSync(folder, { recursive: true })
  fs.mkdirSync(baseFolder, { recursive: true })
  const distinct = Math.min(count, DISTINCT)
  const list = sources(distinct)
  const bases = list.map((_, i) => path.join(baseFolder, `${String(i).padStart(3, '0')}.jpg`))
  const todo = bases.map((_, i) => i).filter((i) => !fs.existsSync(bases[i]!))
  if (todo.length > 0) {
    console.log(
      `generating ${todo.length} pictures of ${WIDTH}×${HEIGHT} in ${baseFolder} (once) …`,
    )
    const started = performance.now()
    let next = 0
    const work = async () => {
      while (next < todo.length) {
        const i = todo[next++]!
        await makePhoto(list[i]!, `${bases[i]}.partial`, i)
        fs.renameSync(`${bases[i]}.partial`, bases[i]!)
      }
    }
    await Promise.all(Array.from({ length: os.availableParallelism() }, work))
    console.log(`  generated in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  }
  const targets: string[] = []
  for (let i = 0; i < count; i++) {
    const target = path.join(folder, `IMG_${String(i).padStart(4, '0')}.jpg`)
    if (!fs.existsSync(target)) {
      const base = fs.readFileSync(bases[i % distinct]!)
      fs.writeFileSync(target, withComment(base, `Kindred benchmark photo ${i}`))
    }
    targets.push(target)
  }
  return targets
}

const files = await ensurePhotos()
const sizes = files.map((f) => fs.statSync(f).size)
const mb = (b: number) => (b / 1024 / 1024).toFixed(1)
console.log(
  `${files.length} photos, ${WIDTH}×${HEIGHT} JPEG q90, ${mb(Math.min(...sizes))}–${mb(Math.max(...sizes))} MB (mean ${mb(sizes.reduce((a, b) => a + b, 0) / sizes.length)}), ${files.filter((_, i) => (i % DISTINCT) % 4 === 3).length} with an EXIF rotation; ${Math.min(count, DISTINCT)} distinct pictures`,
)

let peakRss = process.memoryUsage().rss
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
}, 25)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-bench-realsize-'))
const lib = openLibrary(dir)
try {
  const load = os.loadavg()[0]!.toFixed(1)
  let cpu = process.cpuUsage()
  const imported = await importFolders(lib, [folder])
  const importCpu = process.cpuUsage(cpu)
  const importPeak = peakRss
  cpu = process.cpuUsage()
  const embedded = await embedLibrary(lib, { views: 0 })
  const embedCpu = process.cpuUsage(cpu)
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
  const n = imported.imported
  const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6
  const idle = (s: number) => ((n / s) * os.availableParallelism()).toFixed(1)
  const total = imported.seconds + embedded.seconds
  const who = embedded.embedder
    ? `${embedded.embedder.runtime} ${embedded.embedder.provider}, ${embedded.embedder.device}`
    : '?'
  console.log(`machine   ${os.availableParallelism()} cores, load ${load} at start`)
  console.log(
    `import    ${n} photos in ${imported.seconds.toFixed(1)} s = ${(n / imported.seconds).toFixed(1)} photos/s; ≈ ${idle(cpuSeconds(importCpu))} on idle cores; ${imported.failed.length} failed`,
  )
  console.log(
    `embed     ${embedded.embedded} photos in ${embedded.seconds.toFixed(1)} s = ${(embedded.embedded / embedded.seconds).toFixed(1)} photos/s; ≈ ${idle(cpuSeconds(embedCpu))} on idle cores (${who})`,
  )
  const combined = n / total
  const combinedIdle =
    (n / (cpuSeconds(importCpu) + cpuSeconds(embedCpu))) * os.availableParallelism()
  console.log(
    `together  ${combined.toFixed(1)} photos/s; ≈ ${combinedIdle.toFixed(1)} on idle cores`,
  )
  console.log(`peak RSS  ${mb(peakRss)} MiB (import ${mb(importPeak)} MiB)`)
  const met = (ok: boolean) => (ok ? 'met ' : 'MISS')
  console.log(
    `  ${met(combinedIdle >= 10)}  import + embedding ≥ 10 photos/s (idle-core estimate): ${combinedIdle.toFixed(1)}`,
  )
  console.log(`  ${met(peakRss <= 1.5 * 1024 ** 3)}  peak RSS ≤ 1.5 GiB: ${mb(peakRss)} MiB`)
} finally {
  clearInterval(sampler)
  lib.close()
  fs.rmSync(dir, { recursive: true, force: true })
}
