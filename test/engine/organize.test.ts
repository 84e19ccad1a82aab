import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../src/core/engine/engine'
import { CommandFailure } from '../../src/core/engine/errors'
import { sharedDir, sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'
import { runJob, twoClasses } from './fixtures'
import type { EngineEvent } from '../../src/shared/contract'

const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

describe('Engine organize', () => {
  it('refuses to organize without the model, saying how to install it', async () => {
    const previous = process.env.KINDRED_MODELS_DIR
    process.env.KINDRED_MODELS_DIR = tempDir('kindred-no-models-')
    try {
      const engine = await Engine.open(tempDir('kindred-lib-'))
      engines.push(engine)
      const error = await engine.invoke('organize.start', { clusters: 2 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CommandFailure)
      expect(error).toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/kindred models install/),
      })
      expect(await engine.invoke('organize.resume', {})).toBeNull()
    } finally {
      if (previous === undefined) delete process.env.KINDRED_MODELS_DIR
      else process.env.KINDRED_MODELS_DIR = previous
    }
  })

  it('imports, organizes into groups with live progress, and reports the backend', async () => {
    const previous = process.env.KINDRED_MODELS_DIR
    process.env.KINDRED_MODELS_DIR = path.join(sharedDir, 'models')
    try {
      const engine = await Engine.open(tempDir('kindred-lib-'))
      engines.push(engine)
      const folder = twoClasses()
      await runJob(engine, () => engine.invoke('library.addFolder', { path: folder }))

      const info = await engine.invoke('engine.info', {})
      expect(info).toMatchObject({
        model: 'mobilenet_v2_1.0_224',
        modelInstalled: true,
        libraryDir: engine.libraryDir,
      })
      expect(info.device.length).toBeGreaterThan(0)
      // What describes the photos here: ONNX Runtime on the CPU cores (no GPU on this machine).
      expect(info.embedder).toMatchObject({ runtime: 'onnxruntime', provider: 'cpu' })
      expect(info.notices).toEqual(expect.any(Array))

      const changes: string[] = []
      engine.onEvent((e) => changes.push(e.type))
      const events = await runJob(engine, () =>
        engine.invoke('organize.start', { clusters: 2, seed: 1 }),
      )
      const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []))
      expect(progress.at(-1), JSON.stringify(progress.at(-1))).toMatchObject({
        status: 'done',
        kind: 'organize',
      })
      const stages = new Set(progress.flatMap((p) => ('stage' in p ? [p.stage] : [])))
      expect([...stages]).toEqual(expect.arrayContaining(['embed', 'neighbours', 'scan', 'assign']))
      expect(progress.some((p) => p.status === 'progress' && typeof p.loss === 'number')).toBe(true)
      // The views are told to reload once the job has ended (after its last progress event).
      await expect.poll(() => changes.includes('clusters.changed')).toBe(true)

      const { clusters, unsorted } = await engine.invoke('clusters.list', { sort: 'size' })
      expect(clusters.length).toBeGreaterThanOrEqual(1)
      expect(clusters.reduce((sum, c) => sum + c.size, 0) + unsorted).toBe(40)
      expect(clusters[0]!.prototypes.length).toBeGreaterThan(0)
      expect(await engine.invoke('organize.resume', {})).toBeNull()

      // Photos added later are embedded and put into the existing groups, without retraining.
      const later = tempDir('kindred-later-')
      for (const label of ['Motorbikes', 'sunflower']) {
        const file = fs.readdirSync(sharedPath('datasets', 'caltech20', label)).sort()[30]!
        fs.copyFileSync(
          sharedPath('datasets', 'caltech20', label, file),
          path.join(later, `${label}-${file}`),
        )
      }
      const assigned = new Promise<void>((resolve) =>
        engine.onEvent((e) => {
          if (e.type === 'progress' && e.progress.kind === 'assign' && e.progress.status === 'done')
            resolve()
        }),
      )
      await engine.invoke('library.addFolder', { path: later })
      await assigned
      const after = await engine.invoke('clusters.list', { sort: 'size' })
      // Each goes into a group, or to Unsorted when it looks like none (a calibrated rule that
      // sends a few percent of known kinds there): none is lost, and most are placed.
      const placed = after.clusters.reduce((sum, c) => sum + c.size, 0)
      const before = clusters.reduce((sum, c) => sum + c.size, 0)
      expect(placed + after.unsorted).toBe(before + unsorted + 2)
      expect(placed).toBeGreaterThan(before)
      const jobs = await engine.invoke('jobs.list', {})
      expect(jobs.map((j) => [j.kind, j.state])).toEqual([
        ['assign', 'done'],
        ['import', 'done'],
        ['organize', 'done'],
        ['import', 'done'],
      ])
      // Each finished job keeps what it found out, for a window opened later.
      const organized = jobs.find((j) => j.kind === 'organize')!
      expect(organized.summary).toMatchObject({
        runId: expect.any(Number),
        learnt: { leftInBursts: 0 },
      })
      expect(organized.seconds).toBeGreaterThan(0)
      expect(jobs[0]!.summary).toMatchObject({ assigned: expect.any(Number) })

      // Organizing again starts a new edit history: the engine says so, and the name stays.
      await engine.invoke('clusters.rename', { clusterId: after.clusters[0]!.id, name: 'Kept' })
      expect((await engine.invoke('edits.state', {})).canUndo).toBe(true)
      const edits: EngineEvent[] = []
      engine.onEvent((e) => e.type === 'edits.changed' && edits.push(e))
      await runJob(engine, () => engine.invoke('organize.start', { clusters: 2, seed: 2 }))
      await expect.poll(() => edits.length).toBeGreaterThan(0)
      expect(edits.at(-1)).toEqual({
        type: 'edits.changed',
        state: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null },
      })
      expect(await engine.invoke('edits.state', {})).toMatchObject({ canUndo: false })
      const retrained = await engine.invoke('clusters.list', { sort: 'size' })
      expect(retrained.clusters.map((c) => c.name)).toContain('Kept')
    } finally {
      if (previous === undefined) delete process.env.KINDRED_MODELS_DIR
      else process.env.KINDRED_MODELS_DIR = previous
    }
  }, 400_000)
})
