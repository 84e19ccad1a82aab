/**
 * One resume mechanism: the job row says which stages are done, and the run the job trains
 * keeps its checkpoints. A job stopped after SCAN goes on with self-labeling from its own SCAN
 * model even when photos were imported meanwhile (the run is the job's, not the photo set's).
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Progress } from '../../src/shared/jobs'
import { openLibrary } from '../../src/core/store/library'
import { organize, organizeParams } from '../../src/core/pipeline'
import { runOfJob } from '../../src/core/pipeline/run-state'
import { currentRun } from '../../src/core/clusters'
import { JobCancelledError, findResumableJob } from '../../src/core/jobs'
import { importFolders } from '../../src/core/ingest'
import { linkCaltechPhotos, sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'

process.env.KINDRED_MODELS_DIR = sharedPath('models')
const CLASSES = ['dalmatian', 'grand_piano', 'helicopter']

const photos = (dir: string, from: number, to: number) => linkCaltechPhotos(dir, CLASSES, from, to)

describe('resuming organize', () => {
  it('continues a job stopped after SCAN from its own checkpoint, photos imported meanwhile', async () => {
    const work = tempDir()
    const lib = openLibrary(path.join(work, 'library'))
    try {
      const params = organizeParams({
        folders: [photos(path.join(work, 'photos'), 0, 6)],
        clusters: 3,
        seed: 5,
      })
      const controller = new AbortController()
      const stopped = organize(lib, params, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.status === 'stage-done' && p.stage === 'scan') controller.abort()
        },
      })
      await expect(stopped).rejects.toBeInstanceOf(JobCancelledError)
      const job = findResumableJob(lib.db, 'organize')!
      expect(job).toMatchObject({ state: 'cancelled', stage: 'selflabel' })
      const run = runOfJob(lib.db, job.id)!
      expect(run).toMatchObject({ stage: 'selflabel', hasCheckpoint: true })

      // More photos arrive before the job goes on (the photo set of the run is no longer current).
      await importFolders(lib, [photos(path.join(work, 'later'), 6, 8)])

      const second: Progress[] = []
      const resumed = await organize(lib, params, { onProgress: (p) => second.push(p) })
      expect(resumed.jobId).toBe(job.id)
      expect(second.flatMap((p) => (p.status === 'stage-done' ? [p.stage] : []))).toEqual([
        'selflabel',
        'assign',
      ])
      expect(resumed.runId).toBe(run.id)
      expect(currentRun(lib.db)!.id).toBe(run.id)
      expect(lib.db.prepare(`SELECT count(*) FROM runs`).pluck().get()).toBe(1)
      // The job groups the photos it embedded; the later ones wait for the next assign.
      const assigned = lib.db
        .prepare(`SELECT count(*) FROM assignments WHERE run_id = ?`)
        .pluck()
        .get(run.id)
      expect(assigned).toBe(18)
    } finally {
      lib.close()
    }
  }, 600_000)
})
