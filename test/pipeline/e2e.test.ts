/**
 * The whole pipeline on real photos: 4 caltech20 classes × 20 photos, through the CLI
 * (`kindred eval --json`, `kindred organize --json`, `kindred clusters --json`) and the engine
 * (cancel + resume, photos imported later).
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GroupingScore } from '../../src/core/ml/metrics'
import type { Progress } from '../../src/shared/jobs'
import { openLibrary } from '../../src/core/store/library'
import { organize, organizeParams, assignJob, assignNewPhotos } from '../../src/core/pipeline'
import { currentRun, listGroups } from '../../src/core/clusters'
import { JobCancelledError, findResumableJob, runJob } from '../../src/core/jobs'
import { importFolders } from '../../src/core/ingest'
import { movePhotos, renameCluster } from '../../src/core/edits'
import { listMembers } from '../../src/core/clusters'
import { linkCaltechPhotos, sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

const run = promisify(execFile)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CLASSES = ['Leopards', 'Motorbikes', 'sunflower', 'ketch']
const PER_CLASS = 20
const env = { ...process.env, KINDRED_MODELS_DIR: sharedPath('models') }
process.env.KINDRED_MODELS_DIR = env.KINDRED_MODELS_DIR

/** A labelled folder of symlinks: <dir>/<class>/<file>, photos `from`..`from+count-1` of each class. */
function labelledFolder(dir: string, from = 0, count = PER_CLASS): string {
  return linkCaltechPhotos(dir, CLASSES, from, from + count)
}

async function kindred(...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [path.join(root, 'bin', 'kindred.js'), ...args], {
    env,
    maxBuffer: 64 << 20,
  })
  return JSON.parse(stdout) as unknown
}

let work: string
beforeAll(() => {
  // Not tempDir(): that one is emptied after every test, and these tests share a library.
  work = fs.mkdtempSync(path.join(tempDir(), '..', 'kindred-e2e-'))
})
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

describe('organize end to end on caltech20 (4 classes × 20 photos)', () => {
  it('kindred eval --json scores k-means, SCAN and SCAN + self-label with exactly the agreed keys', async () => {
    const folder = labelledFolder(path.join(work, 'eval'))
    const report = (await kindred('eval', folder, '--json')) as Record<string, unknown> & {
      selflabel: { acc: number }
      scan: { acc: number }
      seconds: Record<string, number>
    }
    expect(Object.keys(report).sort()).toEqual([
      'backend',
      'embedder',
      'k',
      'kmeans',
      'model',
      'n',
      'scan',
      'seconds',
      'selflabel',
    ])
    expect(Object.keys(report.seconds).sort()).toEqual([
      'embed',
      'import',
      'neighbours',
      'scan',
      'selflabel',
    ])
    expect(report).toMatchObject({
      n: 80,
      k: 4,
      model: 'mobilenet_v2_1.0_224',
      embedder: { runtime: 'onnxruntime', provider: 'cpu' },
    })
    for (const key of ['kmeans', 'scan', 'selflabel']) {
      expect(Object.keys(report[key] as object).sort()).toEqual([
        'acc',
        'ari',
        'fixCost',
        'nmi',
        'purity',
      ])
    }
    expect(report.selflabel.acc).toBeGreaterThanOrEqual(0.9)
    const final = report.selflabel as unknown as GroupingScore
    expect(final.purity).toBeGreaterThanOrEqual(final.acc)
    expect(final.fixCost.per100).toBeCloseTo(
      (100 * (final.fixCost.moves + final.fixCost.merges)) / 80,
      9,
    )
    expect(report.seconds.embed).toBeGreaterThan(0)
  })

  it('kindred organize then kindred clusters: groups with prototypes, members by confidence', async () => {
    const folder = labelledFolder(path.join(work, 'photos'))
    const library = path.join(work, 'library')
    const out = (await kindred(
      'organize',
      folder,
      '--clusters',
      '4',
      '--library',
      library,
      '--json',
    )) as {
      backend: string
      device: string
      embedder: { runtime: string; provider: string; device: string }
      groups: { id: number; size: number; meanConfidence: number; prototypes: string[] }[]
      unsorted: number
    }
    expect(out.backend).toMatch(/^(webgpu|tensorflow|wasm|cpu|tensorflow-gpu)$/)
    expect(out.device.length).toBeGreaterThan(0)
    // No GPU here: ONNX Runtime on the CPU cores describes the photos.
    expect(out.embedder).toMatchObject({ runtime: 'onnxruntime', provider: 'cpu' })
    expect(out.embedder.device).toMatch(/thread/)
    expect(out.groups).toHaveLength(4)
    expect(out.groups.reduce((sum, g) => sum + g.size, 0) + out.unsorted).toBe(80)
    for (const g of out.groups) {
      expect(g.prototypes.length).toBeGreaterThanOrEqual(4)
      expect(g.prototypes.length).toBeLessThanOrEqual(9)
      // Prototypes of one group come from one class (the most confident members).
      expect(new Set(g.prototypes.map((p) => path.basename(path.dirname(p)))).size).toBe(1)
    }
    const listed = (await kindred('clusters', '--library', library, '--json')) as {
      groups: { id: number; members: { confidence: number; path: string }[] }[]
    }
    expect(listed.groups.map((g) => g.id)).toEqual(out.groups.map((g) => g.id))
    const first = listed.groups[0]!.members.map((m) => m.confidence)
    expect(first).toEqual([...first].sort((a, b) => b - a))
  })

  it('resumes a cancelled organize from its checkpoint, and assigns photos imported later without retraining', async () => {
    const lib = openLibrary(path.join(work, 'library'))
    try {
      const folder = path.join(work, 'photos')
      const params = organizeParams({ folders: [folder], clusters: 4, seed: 7 })
      const controller = new AbortController()
      const first: Progress[] = []
      const cancelled = organize(lib, params, {
        signal: controller.signal,
        onProgress: (p) => {
          first.push(p)
          if (p.status === 'stage-done' && p.stage === 'scan') controller.abort()
        },
      })
      await expect(cancelled).rejects.toBeInstanceOf(JobCancelledError)
      const open = findResumableJob(lib.db, 'organize')
      expect(open).toMatchObject({ state: 'cancelled', stage: 'selflabel' })

      const second: Progress[] = []
      const resumed = await organize(lib, params, { onProgress: (p) => second.push(p) })
      expect(resumed.jobId).toBe(open!.id)
      const stagesRun = second.flatMap((p) => (p.status === 'stage-done' ? [p.stage] : []))
      expect(stagesRun).toEqual(['selflabel', 'assign'])
      expect(resumed.groups.clusters).toHaveLength(4)
      const runId = currentRun(lib.db)!.id

      // One more photo per class arrives later: the assign job embeds them and the stored
      // model places them; nothing is left to assign afterwards.
      labelledFolder(path.join(work, 'later'), PER_CLASS, 1)
      await importFolders(lib, [path.join(work, 'later')])
      const assignEvents: Progress[] = []
      await runJob(lib, assignJob(lib), { onProgress: (p) => assignEvents.push(p) })
      expect(
        assignEvents
          .filter((p) => p.status === 'stage-done')
          .map((p) => p.status === 'stage-done' && p.stage),
      ).toEqual(['embed', 'assign'])
      expect(assignEvents.findLast((p) => p.status === 'progress')).toMatchObject({
        stage: 'assign',
        done: 4,
      })
      expect(await assignNewPhotos(lib)).toEqual({ assigned: 0, unembedded: 0 })
      expect(currentRun(lib.db)!.id).toBe(runId)
      const sizes = listGroups(lib.db).clusters.reduce((sum, g) => sum + g.size, 0)
      expect(sizes + listGroups(lib.db).unsorted).toBe(84)
    } finally {
      lib.close()
    }
  })

  it('keeps the names and hand placements a person made when the model is trained again', async () => {
    const lib = openLibrary(path.join(work, 'library'))
    try {
      const before = listGroups(lib.db).clusters
      const [named, other] = before
      renameCluster(lib, named!.id, 'Spotted cats')
      // A person puts one of the other group's photos into the renamed group, and one into Unsorted.
      const [placed, unsorted] = listMembers(lib.db, other!.id, 0, 2).members.map((m) => m.photoId)
      movePhotos(lib, [placed!], named!.id)
      movePhotos(lib, [unsorted!], null)
      const members = new Set(listMembers(lib.db, named!.id, 0, 1000).members.map((m) => m.photoId))

      const params = organizeParams({ folders: [path.join(work, 'photos')], clusters: 4, seed: 11 })
      const retrained = await organize(lib, params)
      const group = retrained.groups.clusters.find((g) => g.name === 'Spotted cats')
      expect(group).toMatchObject({ named: true })
      const now = listMembers(lib.db, group!.id, 0, 1000).members
      expect(now.find((m) => m.photoId === placed)).toMatchObject({ source: 'user' })
      const kept = now.filter((m) => members.has(m.photoId)).length
      expect(kept / members.size).toBeGreaterThanOrEqual(0.9)
      expect(listMembers(lib.db, null).members.map((m) => m.photoId)).toContain(unsorted)
    } finally {
      lib.close()
    }
  })
})
