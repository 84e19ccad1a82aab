// Embedding throughput (decode + forward + store) on real caltech20 photos, per embedder and
// number of augmented views.
// Usage: npm run bench:embed -- [photos=256] [embedder=auto] [views=0,2]
//   embedder: auto | onnxruntime | tfjs | a TF.js backend (wasm, webgpu, ...: TF.js on it)
//   KINDRED_EMBED_WORKERS=N to fix the worker count (default: one per core for TF.js WASM/CPU).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ComputeBackend } from '../src/shared/contract'
import { embedLibrary, type EmbedOptions } from '../src/core/ml/embed'
import { openLibrary, type Library } from '../src/core/store/library'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const shared = path.resolve(process.env.KINDRED_SHARED ?? path.join(root, '..', 'shared'))
process.env.KINDRED_MODELS_DIR ??= path.join(shared, 'models')
const count = Number(process.argv[2] ?? 256)
const embedder = process.argv[3] ?? 'auto'
const choice: Pick<EmbedOptions, 'runtime' | 'backend'> =
  embedder === 'auto' || embedder === 'onnxruntime' || embedder === 'tfjs'
    ? { runtime: embedder }
    : { runtime: 'tfjs', backend: embedder as ComputeBackend }
const viewCounts = (process.argv[4] ?? '0,2').split(',').map(Number)

/** Every n-th photo of caltech20, so all classes and sizes are represented. */
function samplePhotos(n: number): string[] {
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

function addPhotos(lib: Library, files: string[]): void {
  const now = Date.now()
  const folder = lib.db
    .prepare('INSERT INTO folders (path, added_at) VALUES (?, ?) RETURNING id')
    .get(shared, now) as {
    id: number
  }
  const insert = lib.db.prepare(
    `INSERT INTO photos (folder_id, path, size, mtime_ms, status, imported_at, updated_at) VALUES (?, ?, ?, ?, 'ok', ?, ?)`,
  )
  for (const f of files) insert.run(folder.id, f, fs.statSync(f).size, 0, now, now)
}

const files = samplePhotos(count)
console.log(
  `embedding ${files.length} caltech20 photos on ${os.availableParallelism()} cores, load ${os.loadavg()[0]?.toFixed(1)}`,
)
const rows: string[] = []
for (const views of viewCounts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-bench-embed-'))
  const lib = openLibrary(dir)
  try {
    addPhotos(lib, files)
    const cpuBefore = process.cpuUsage()
    const r = await embedLibrary(lib, { views, ...choice })
    const cpu = process.cpuUsage(cpuBefore)
    const cpuSeconds = (cpu.user + cpu.system) / 1e6
    const perSecond = r.embedded / r.seconds
    // Other work on a shared machine slows the wall clock; photos per CPU-second of this
    // process (all its threads) times the cores is what an otherwise idle machine would do.
    const idle = (r.embedded / cpuSeconds) * os.availableParallelism()
    rows.push(
      `${r.embedder?.runtime} ${r.embedder?.provider} (${r.embedder?.device}), views 0+${views}: ${r.embedded} photos in ${r.seconds.toFixed(1)} s = ` +
        `${perSecond.toFixed(1)} photos/s (${(perSecond * (views + 1)).toFixed(1)} views/s); ` +
        `${(r.embedded / cpuSeconds).toFixed(1)} photos per CPU-second, ≈ ${idle.toFixed(1)} photos/s on idle cores`,
    )
  } finally {
    lib.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
console.log(rows.join('\n'))
