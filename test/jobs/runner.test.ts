import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { Progress } from '../../src/shared/jobs'
import { openLibrary, type Library } from '../../src/core/store/library'
import {
  cancelJob,
  findResumableJob,
  getJob,
  JobCancelledError,
  listJobs,
  runJob,
  startJob,
  type JobSpec,
  type StageDef,
  StageTracker,
} from '../../src/core/jobs'
import { LOCK_FILE } from '../../src/core/jobs/lock'
import { STORED_FAILURES } from '../../src/core/jobs/store'
import { tempDir } from '../helpers/tmp'

const here = path.dirname(fileURLToPath(import.meta.url))
const libs: Library[] = []
afterEach(() => libs.splice(0).forEach((lib) => lib.close()))

function library(): Library {
  const lib = openLibrary(tempDir())
  libs.push(lib)
  return lib
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2))

function countingStage(stage: StageDef['stage'], total: number, log: string[]): StageDef {
  return {
    stage,
    async run(ctx) {
      log.push(`${stage}:start`)
      for (let i = 1; i <= total; i++) {
        await tick()
        if (ctx.signal.aborted) throw new JobCancelledError(ctx.jobId)
        ctx.report(i, total, stage === 'scan' ? { loss: 1 / i, epoch: i } : undefined)
      }
      log.push(`${stage}:end`)
    },
  }
}

describe('job runner', () => {
  it('reports started, progress with rate and ETA, stage-done and done, and stores the job', async () => {
    const lib = library()
    const events: Progress[] = []
    const log: string[] = []
    const spec: JobSpec = {
      kind: 'organize',
      params: { clusters: 3 },
      stages: [countingStage('embed', 20, log), countingStage('scan', 5, log)],
    }
    const result = await runJob(lib, spec, { onProgress: (p) => events.push(p) })

    expect(log).toEqual(['embed:start', 'embed:end', 'scan:start', 'scan:end'])
    expect(events[0]).toMatchObject({ status: 'started', stage: 'embed', kind: 'organize' })
    expect(events.at(-1)).toMatchObject({ status: 'done', jobId: result.jobId })
    const embedProgress = events.filter((e) => e.status === 'progress' && e.stage === 'embed')
    const lastEmbed = embedProgress.at(-1)
    expect(lastEmbed).toMatchObject({ done: 20, total: 20, etaSeconds: 0 })
    expect(lastEmbed?.status === 'progress' && lastEmbed.rate).toBeGreaterThan(0)
    // Every training report carries its loss, none is throttled away.
    const losses = events.flatMap((e) =>
      e.status === 'progress' && e.loss !== undefined ? [e.loss] : [],
    )
    expect(losses).toEqual([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5])
    expect(
      events
        .filter((e) => e.status === 'stage-done')
        .map((e) => e.status === 'stage-done' && e.stage),
    ).toEqual(['embed', 'scan'])
    expect(Object.keys(result.stageSeconds)).toEqual(['embed', 'scan'])
    expect(getJob(lib.db, result.jobId)).toMatchObject({
      state: 'done',
      stage: 'scan',
      done: 5,
      total: 5,
      params: { clusters: 3 },
    })
  })

  it('keeps what a finished job found out and how long it ran, for a window opened later', async () => {
    const lib = library()
    const learnt = { photos: 35, leftInBursts: 12 }
    const spec: JobSpec = {
      kind: 'organize',
      params: {},
      stages: [countingStage('scan', 3, [])],
      summary: () => ({ runId: 4, learnt }),
    }
    const result = await runJob(lib, spec)
    const stored = getJob(lib.db, result.jobId)!
    expect(stored.summary).toEqual({ runId: 4, learnt })
    expect(stored.seconds).toBeCloseTo(result.seconds, 6)
    expect(listJobs(lib.db)[0]).toMatchObject({ id: result.jobId, summary: { learnt } })
  })

  it('keeps the first 100 failures of an import, and reads a damaged summary as none', async () => {
    const lib = library()
    const failed = Array.from({ length: 250 }, (_, i) => ({ path: `/p/${i}.jpg`, error: 'bad' }))
    const imported = {
      imported: 1,
      updated: 0,
      unchanged: 0,
      moved: 0,
      duplicates: 0,
      missing: 0,
      failed,
      ignored: 0,
      seconds: 1,
    }
    const spec: JobSpec = {
      kind: 'import',
      params: {},
      stages: [countingStage('import', 1, [])],
      summary: () => ({ imported }),
    }
    const { jobId } = await runJob(lib, spec)
    const kept = getJob(lib.db, jobId)!.summary!.imported!
    expect(kept.failed).toEqual(failed.slice(0, STORED_FAILURES))
    expect(kept.imported).toBe(1)

    for (const damaged of ['{"imported":', '[1,2]', 'null', '7']) {
      lib.db.prepare(`UPDATE jobs SET summary = ? WHERE id = ?`).run(damaged, jobId)
      expect(getJob(lib.db, jobId)).toMatchObject({ state: 'done', summary: null })
    }
  })

  it('cancels a running job through its AbortSignal and skips the stages after it', async () => {
    const lib = library()
    const controller = new AbortController()
    const log: string[] = []
    const events: Progress[] = []
    const stages = [countingStage('embed', 1000, log), countingStage('scan', 5, log)]
    const running = runJob(
      lib,
      { kind: 'organize', params: {}, stages },
      {
        signal: controller.signal,
        onProgress: (p) => {
          events.push(p)
          if (p.status === 'progress' && p.done >= 10) controller.abort()
        },
      },
    )
    await expect(running).rejects.toBeInstanceOf(JobCancelledError)
    expect(log).toEqual(['embed:start'])
    expect(events.at(-1)).toMatchObject({ status: 'cancelled' })
    const job = findResumableJob(lib.db, 'organize')
    expect(job).toMatchObject({ state: 'cancelled', stage: 'embed' })
  })

  it('resumes a job cancelled between stages with the next stage', async () => {
    const lib = library()
    const controller = new AbortController()
    const log: string[] = []
    const spec: JobSpec = {
      kind: 'organize',
      params: {},
      stages: [countingStage('embed', 3, log), countingStage('scan', 3, log)],
    }
    const stopAfterEmbed = (p: Progress) => p.status === 'stage-done' && controller.abort()
    await expect(
      runJob(lib, spec, { signal: controller.signal, onProgress: stopAfterEmbed }),
    ).rejects.toBeInstanceOf(JobCancelledError)
    const open = findResumableJob(lib.db, 'organize')
    expect(open).toMatchObject({ state: 'cancelled', stage: 'scan' })
    log.length = 0
    const resumed = await runJob(lib, spec, { resumeJobId: open!.id })
    expect(log).toEqual(['scan:start', 'scan:end'])
    expect(Object.keys(resumed.stageSeconds)).toEqual(['scan'])
  })

  it('cancels by job id, and a queued job never starts', async () => {
    const lib = library()
    const log: string[] = []
    const first = startJob(lib, {
      kind: 'embed',
      params: {},
      stages: [countingStage('embed', 30, log)],
    })
    const second = startJob(lib, {
      kind: 'scan',
      params: {},
      stages: [countingStage('scan', 3, log)],
    })
    expect(cancelJob(lib, second.jobId)).toBe(true)
    await first.finished
    await expect(second.finished).rejects.toBeInstanceOf(JobCancelledError)
    expect(log).toEqual(['embed:start', 'embed:end'])
    expect(getJob(lib.db, second.jobId)?.state).toBe('cancelled')
    expect(cancelJob(lib, second.jobId)).toBe(false)
  })

  it('runs the jobs of one library one at a time, in order', async () => {
    const lib = library()
    const log: string[] = []
    const a = startJob(lib, {
      kind: 'embed',
      params: {},
      stages: [countingStage('embed', 10, log)],
    })
    const b = startJob(lib, {
      kind: 'neighbours',
      params: {},
      stages: [countingStage('neighbours', 10, log)],
    })
    await Promise.all([a.finished, b.finished])
    expect(log).toEqual(['embed:start', 'embed:end', 'neighbours:start', 'neighbours:end'])
  })

  it('keeps a failed job resumable and resumes it from the stage that failed', async () => {
    const lib = library()
    const log: string[] = []
    let failures = 1
    const flaky: StageDef = {
      stage: 'scan',
      async run() {
        log.push('scan:start')
        if (failures-- > 0) throw new Error('out of memory')
        log.push('scan:end')
      },
    }
    const spec: JobSpec = {
      kind: 'organize',
      params: {},
      stages: [countingStage('embed', 3, log), flaky],
    }
    const events: Progress[] = []
    await expect(runJob(lib, spec, { onProgress: (p) => events.push(p) })).rejects.toThrow(
      'out of memory',
    )
    expect(events.at(-1)).toMatchObject({ status: 'failed', error: 'out of memory' })
    const failed = findResumableJob(lib.db, 'organize')
    expect(failed).toMatchObject({ state: 'failed', stage: 'scan', error: 'out of memory' })

    log.length = 0
    const resumed = await runJob(lib, spec, { resumeJobId: failed!.id })
    expect(resumed.jobId).toBe(failed!.id)
    expect(log).toEqual(['scan:start', 'scan:end'])
    expect(getJob(lib.db, failed!.id)?.state).toBe('done')
    expect(findResumableJob(lib.db, 'organize')).toBeNull()
  })

  it('resumes after the process was killed mid-stage, losing no finished work', () => {
    const dir = tempDir()
    const fixture = path.join(here, 'fixtures', 'counting-job.ts')
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', fixture, dir, ...args], { encoding: 'utf8' })

    const killed = run('50', '29')
    expect(killed.signal).toBe('SIGKILL')
    const lib = openLibrary(dir)
    libs.push(lib)
    expect(lib.db.prepare(`SELECT count(*) AS n FROM work`).get()).toEqual({ n: 30 })
    expect(findResumableJob(lib.db, 'organize')).toMatchObject({ state: 'running', stage: 'embed' })
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true) // left behind by the dead process

    const again = run('50')
    expect(again.status, again.stderr).toBe(0)
    const { resumed } = JSON.parse(again.stdout) as { resumed: number }
    expect(getJob(lib.db, resumed)).toMatchObject({
      state: 'done',
      stage: 'embed',
      done: 50,
      total: 50,
    })
    expect(lib.db.prepare(`SELECT count(*) AS n, sum(item) AS s FROM work`).get()).toEqual({
      n: 50,
      s: 1225,
    })
    // 'import' finished before the kill and is not run again; 'embed' ran twice.
    const stages = lib.db.prepare(`SELECT stage FROM stage_runs`).pluck().all()
    expect(stages).toEqual(['import', 'embed', 'embed'])
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false)
  })

  it('refuses to run while another live process holds the library', async () => {
    const lib = library()
    const sleeper = spawn('sleep', ['30'])
    try {
      fs.writeFileSync(path.join(lib.dir, LOCK_FILE), String(sleeper.pid))
      const spec: JobSpec = { kind: 'embed', params: {}, stages: [countingStage('embed', 1, [])] }
      await expect(runJob(lib, spec)).rejects.toThrow(/Another Kindred process \(pid \d+\)/)
    } finally {
      sleeper.kill()
    }
  })
})

describe('stage tracker', () => {
  it('measures the rate from the first report on, and a one-report stage from its start', () => {
    let clock = 0
    const events: Progress[] = []
    const resumed = new StageTracker(
      1,
      'embed',
      'embed',
      (p) => events.push(p),
      0,
      () => clock,
    )
    clock = 300
    resumed.report(900, 1000) // done before the restart
    clock = 2300
    expect(resumed.report(1000, 1000)).toMatchObject({ rate: 50, etaSeconds: 0 })

    clock = 0
    const oneStep = new StageTracker(
      1,
      'organize',
      'neighbours',
      (p) => events.push(p),
      0,
      () => clock,
    )
    clock = 500
    expect(oneStep.report(80, 80)).toMatchObject({ rate: 160 })

    clock = 0
    const training = new StageTracker(
      1,
      'organize',
      'scan',
      (p) => events.push(p),
      0,
      () => clock,
    )
    clock = 100
    expect(training.report(0, 40, { loss: 2 })).toMatchObject({
      rate: 0,
      etaSeconds: null,
      loss: 2,
    })
    clock = 1100
    expect(training.report(10, 40, { loss: 1, epoch: 10 })).toMatchObject({
      rate: 10,
      etaSeconds: 3,
      epoch: 10,
    })
  })
})
