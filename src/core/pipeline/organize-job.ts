import type { JobSpec } from '../jobs'
import { importFolders } from '../ingest'
import { embedLibrary } from '../ml/embed'
import { finishRun } from '../clusters'
import type { Library } from '../store/library'
import type { OrganizeParams } from './params'
import { OrganizeState } from './run-state'
import { trainingOutliers } from './unsorted'
import { predictModel, trainScanStage, trainSelfLabelStage, type ModelCheckpoint } from './training'

export interface OrganizeHooks {
  /** Called with each trained model as it is checkpointed (eval scores SCAN and self-label apart). */
  onTrained?(stage: 'scan' | 'selflabel', checkpoint: ModelCheckpoint): void
}

/**
 * The organize pipeline as a job: import → embed → neighbours → SCAN → self-label → assign.
 * The runner skips the stages the job finished before an interruption; each stage is safe to run
 * again: import skips unchanged files, embedding skips photos already embedded, neighbours are
 * read back when current, and training reads the checkpoints the earlier stages left in the run.
 */
export function organizeJob(
  lib: Library,
  params: OrganizeParams,
  hooks: OrganizeHooks = {},
): JobSpec {
  const state = new OrganizeState(lib, params)
  const stages: JobSpec['stages'] = [
    {
      stage: 'import',
      async run(ctx) {
        if (params.folders.length === 0) return
        state.imported = await importFolders(lib, params.folders, {
          signal: ctx.signal,
          onProgress: (stage, done, total) => stage === 'import' && ctx.report(done, total),
        })
      },
    },
    {
      stage: 'embed',
      async run(ctx) {
        await state.backend()
        const { embedder } = await embedLibrary(lib, {
          model: params.model,
          views: params.views,
          backend: params.backend,
          signal: ctx.signal,
          onProgress: (done, total) => ctx.report(done, total),
        })
        state.embedder = embedder ?? state.embedder
      },
    },
    { stage: 'neighbours', run: async (ctx) => void (await state.neighbours(ctx)) },
    {
      stage: 'scan',
      run: state.training(async (ctx) => {
        await state.backend()
        state.run(ctx.jobId)
        const n = state.features().ids.length
        if (typeof params.clusters === 'number' && params.clusters > n)
          throw new Error(
            `Asked for ${params.clusters} groups, but the library has only ${n} usable photos: ask for at most ${n} groups, or let Kindred choose (auto).`,
          )
        const model = await trainScanStage(await state.trainingInput(ctx))
        state.saveTrained(ctx.jobId, 'scan', model)
        hooks.onTrained?.('scan', model.checkpoint)
      }),
    },
    {
      stage: 'selflabel',
      run: state.training(async (ctx) => {
        await state.backend()
        const scan = state.requireTrained(ctx.jobId, 'scan')
        const model = await trainSelfLabelStage(await state.trainingInput(ctx), scan)
        state.saveTrained(ctx.jobId, 'selflabel', model)
        hooks.onTrained?.('selflabel', model.checkpoint)
      }),
    },
    {
      stage: 'assign',
      run: state.training(async (ctx) => {
        await state.backend()
        // The groups are written in one transaction: a kill just after it leaves the job one
        // stage behind its run, with nothing left to do.
        if (state.run(ctx.jobId).state === 'done') return
        const checkpoint = state.requireTrained(ctx.jobId, 'selflabel')
        const matrix = state.features()
        ctx.report(0, matrix.ids.length)
        const { probs, k } = await predictModel(checkpoint, matrix.data, matrix.ids.length)
        const unsorted = trainingOutliers(probs, matrix.ids.length, k, await state.neighbours())
        const runId = state.run(ctx.jobId).id
        finishRun(lib.db, runId, { photoIds: matrix.ids, probs, k, features: matrix, unsorted })
        ctx.report(matrix.ids.length, matrix.ids.length)
      }),
    },
  ]
  return { kind: 'organize', params, stages, summary: () => state.summary() }
}
