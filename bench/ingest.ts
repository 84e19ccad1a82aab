/**
 * Import benchmark: imports ../shared/datasets/caltech20 (2,530 photos; KINDRED_SHARED overrides
 * ../shared) into a fresh temporary library; prints photos/second (hash + EXIF + thumbnail) and
 * peak memory. Usage: npm run bench:ingest [-- --concurrency N]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultConcurrency, importFolders } from '../src/core/ingest'
import { openLibrary } from '../src/core/store/library'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const shared = path.resolve(process.env.KINDRED_SHARED ?? path.join(root, '..', 'shared'))
const dataset = path.join(shared, 'datasets', 'caltech20')
const flag = process.argv.indexOf('--concurrency')
const concurrency = flag > 0 ? Number(process.argv[flag + 1]) : defaultConcurrency()

if (!fs.existsSync(dataset)) {
  console.error(`Missing dataset ${dataset} (set KINDRED_SHARED)`)
  process.exit(1)
}

let peakRss = process.memoryUsage().rss
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
}, 50)

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-bench-ingest-'))
const lib = openLibrary(dir)
try {
  const first = await importFolders(lib, [dataset], { concurrency })
  const photos = first.imported + first.updated + first.failed.length
  const again = await importFolders(lib, [dataset], { concurrency })
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`
  console.log(`dataset        ${dataset}`)
  console.log(
    `machine        ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, concurrency ${concurrency}`,
  )
  console.log(
    `photos         ${first.imported} imported, ${first.duplicates} duplicates, ${first.failed.length} failed`,
  )
  console.log(
    `import         ${first.seconds.toFixed(2)} s  →  ${(photos / first.seconds).toFixed(1)} photos/s`,
  )
  console.log(`re-import      ${again.seconds.toFixed(2)} s (${again.unchanged} unchanged)`)
  console.log(`peak memory    ${mb(peakRss)} RSS`)
} finally {
  clearInterval(sampler)
  lib.close()
  fs.rmSync(dir, { recursive: true, force: true })
}
