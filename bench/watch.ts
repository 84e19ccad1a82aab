/**
 * Watched-folder benchmark: how long from a photo saved into a watched folder to that photo
 * placed in its group (assigned by the trained model, the moment the UI is told to reload), with
 * the engine's default timings. Organizes 4 Caltech classes × 20 photos, then saves single
 * photos one at a time, then bursts of 50 copied as fast as the disk allows. Photos come from
 * ../shared/datasets/caltech20 (KINDRED_SHARED), the model from ../shared/models
 * (KINDRED_MODELS_DIR). Usage: npm run bench:watch
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Engine } from '../src/core/engine/engine'
import type { EngineEvent, WatchReport } from '../src/shared/contract'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const shared = path.resolve(process.env.KINDRED_SHARED ?? path.join(root, '..', 'shared'))
const dataset = path.join(shared, 'datasets', 'caltech20')
process.env.KINDRED_MODELS_DIR ??= path.join(shared, 'models')
const CLASSES = ['bonsai', 'butterfly', 'chandelier', 'Motorbikes']
const INITIAL = 20
const SINGLES = 8
const BURSTS = 3
const BURST = 50

if (!fs.existsSync(dataset)) {
  console.error(`Missing dataset ${dataset} (set KINDRED_SHARED)`)
  process.exit(1)
}

const sources = new Map(
  CLASSES.map((label) => [
    label,
    fs
      .readdirSync(path.join(dataset, label))
      .filter((f) => /\.jpe?g$/i.test(f))
      .sort()
      .map((f) => path.join(dataset, label, f)),
  ]),
)
/** Photos not yet used, round-robin over the classes. */
let next = INITIAL
function takePhotos(count: number): { from: string; name: string }[] {
  const out: { from: string; name: string }[] = []
  while (out.length < count) {
    const index = next + Math.floor(out.length / CLASSES.length)
    const label = CLASSES[out.length % CLASSES.length]!
    out.push({ from: sources.get(label)![index]!, name: `${label}-${index}.jpg` })
  }
  next += Math.ceil(count / CLASSES.length)
  return out
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-bench-watch-'))
const photos = path.join(work, 'photos')
fs.mkdirSync(photos)
for (const label of CLASSES) {
  for (const from of sources.get(label)!.slice(0, INITIAL))
    fs.copyFileSync(from, path.join(photos, `${label}-${path.basename(from)}`))
}

function until<T>(engine: Engine, pick: (event: EngineEvent) => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const stop = engine.onEvent((event) => {
      const value = pick(event)
      if (value === undefined) return
      stop()
      resolve(value)
    })
  })
}

async function runJob(engine: Engine, start: () => Promise<{ jobId: number }>): Promise<void> {
  let jobId = -1
  const ended = until(engine, (e) =>
    e.type === 'progress' &&
    e.progress.jobId === jobId &&
    ['done', 'failed', 'cancelled'].includes(e.progress.status)
      ? e.progress.status
      : undefined,
  )
  jobId = (await start()).jobId
  const status = await ended
  if (status !== 'done') throw new Error(`The job ended ${status}.`)
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
function describe(label: string, ms: number[]): void {
  const sorted = [...ms].sort((a, b) => a - b)
  console.log(
    `${label.padEnd(30)} n=${String(ms.length).padStart(3)}  median ${(quantile(sorted, 0.5) / 1000).toFixed(2)} s` +
      `  worst ${(sorted.at(-1)! / 1000).toFixed(2)} s`,
  )
}

/** Copies photos into the folder; resolves with each one's saved time and the batch's report. */
async function save(
  engine: Engine,
  files: { from: string; name: string }[],
): Promise<{
  saved: number[]
  placedAt: number
  report: WatchReport
  importJobs: number
  jobSeconds: { import: number; assign: number }
}> {
  let importJobs = 0
  const jobSeconds = { import: 0, assign: 0 }
  const countJobs = engine.onEvent((e) => {
    if (e.type !== 'progress' || e.progress.status !== 'done') return
    if (e.progress.kind === 'import') importJobs++
    if (e.progress.kind === 'import' || e.progress.kind === 'assign')
      jobSeconds[e.progress.kind] += e.progress.seconds
  })
  const reported = until(engine, (e) => (e.type === 'library.watched' ? e.report : undefined))
  const saved = files.map(({ from, name }) => {
    fs.copyFileSync(from, path.join(photos, name))
    return performance.now()
  })
  const report = await reported
  const placedAt = performance.now()
  countJobs()
  if (report.added !== files.length)
    throw new Error(`Expected ${files.length} new photos, the report says: ${report.message}`)
  return { saved, placedAt, report, importJobs, jobSeconds }
}

const engine = await Engine.open(path.join(work, 'library'), { watch: true })
try {
  console.log(`Library: ${CLASSES.length} classes × ${INITIAL} photos, organizing into 4 groups…`)
  await runJob(engine, () => engine.invoke('library.addFolder', { path: photos }))
  await runJob(engine, () => engine.invoke('organize.start', { clusters: 4, seed: 1 }))
  await engine.watchReady()
  const info = await engine.invoke('engine.info', {})
  console.log(
    `Embedding with ${info.embedder?.runtime} (${info.embedder?.provider}) on ${info.device}`,
  )

  const singles: number[] = []
  const jobs = { import: [] as number[], assign: [] as number[] }
  for (let i = 0; i < SINGLES; i++) {
    const { saved, placedAt, jobSeconds } = await save(engine, takePhotos(1))
    singles.push(placedAt - saved[0]!)
    jobs.import.push(jobSeconds.import * 1000)
    jobs.assign.push(jobSeconds.assign * 1000)
  }
  describe('single photo: saved → grouped', singles)
  // The rest is waiting for the file to stop growing and for the folder to be quiet.
  describe('  of which the import job', jobs.import)
  describe('  of which the assign job', jobs.assign)

  const burstLatencies: number[] = []
  for (let b = 0; b < BURSTS; b++) {
    const { saved, placedAt, report, importJobs, jobSeconds } = await save(
      engine,
      takePhotos(BURST),
    )
    const ms = saved.map((t) => placedAt - t)
    burstLatencies.push(...ms)
    describe(`burst ${b + 1} of ${BURST}: saved → grouped`, ms)
    console.log(
      `  ${importJobs} import job (${jobSeconds.import.toFixed(1)} s), assign ${jobSeconds.assign.toFixed(1)} s; ${report.message}`,
    )
  }
  describe(`all bursts of ${BURST}`, burstLatencies)
  const { clusters, unsorted } = await engine.invoke('clusters.list', { sort: 'size' })
  const placed = clusters.reduce((sum, c) => sum + c.size, 0)
  console.log(`In the end: ${placed} photos in ${clusters.length} groups, ${unsorted} Unsorted`)
} finally {
  await engine.close()
  fs.rmSync(work, { recursive: true, force: true })
}
