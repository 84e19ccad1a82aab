import type { Library } from '../store/library'
import type { ComputeBackend, EmbedderInfo } from '../../shared/contract'
import type { ProgressCallback, Stage } from '../../shared/jobs'
import { importFolders, type ImportSummary } from '../ingest'
import { initBackend } from '../ml/backend'
import { embedLibrary } from '../ml/embed'
import { librarySearch, locateModel } from '../ml/models'
import {
  errorMessage,
  findResumableJob,
  isAbort,
  startJob,
  type JobSpec,
  type StageContext,
  type StartedJob,
} from '../jobs'
import {
  createRun,
  currentRun,
  finishRun,
  findResumableRun,
  getRun,
  listGroups,
  loadCheckpoint,
  saveCheckpoint,
  setRunState,
  type GroupList,
} from '../clusters'
import { usableFeatures, viewFeatures, type FeatureMatrix } from './features'
import { ensureNeighbours, type NeighbourTable } from './neighbours'
import { organizeParams, runParams, type OrganizeParams } from './params'
import { trainingOutliers } from './unsorted'
import { predictModel, trainScanStage, trainSelfLabelStage, type ModelCheckpoint } from './training'

export interface OrganizeResult {
  jobId: number
  runId: number
  /** The TF.js backend that trained the heads, and its device. */
  backend: ComputeBackend
  device: string
  /** What described (embedded) the photos in this attempt; null when none needed it. */
  embedder: EmbedderInfo | null
  imported: ImportSummary | null
  /** Seconds per stage that ran in this attempt. */
  seconds: Partial<Record<Stage, number>>
  groups: GroupList
}

export interface OrganizeHooks {
  /** Called with each trained model as it is checkpointed (eval scores SCAN and self-label apart). */
  onTrained?(stage: 'scan' | 'selflabel', checkpoint: ModelCheckpoint): void
}

/** State the stages hand on to each other (rebuilt from the library after a resume). */
export interface Shared {
  backend?: { backend: ComputeBackend; device: string }
  embedder?: EmbedderInfo
  imported: ImportSummary | null
  features?: FeatureMatrix
  neighbours?: NeighbourTable
  runId?: number
}

/**
 * The organize pipeline as a job: import → embed → neighbours → SCAN → self-label → assign.
 * Every stage can run again after a crash: import skips unchanged files, embedding skips photos
 * already embedded, neighbours are read back when current, and training continues from the
 * checkpoint in `runs` (stage + checkpoint).
 */
export function organizeJob(
  lib: Library,
  params: OrganizeParams,
  shared: Shared = { imported: null },
  hooks: OrganizeHooks = {},
): JobSpec {
  const backend = async () => (shared.backend ??= await initBackend(params.backend))
  const features = () => (shared.features ??= usableFeatures(lib.db, params.model))
  const neighbours = async (ctx?: StageContext) => {
    if (shared.neighbours) return shared.neighbours
    const matrix = features()
    if (matrix.ids.length < 2)
      throw new Error(
        `Organizing needs at least two photos to compare; this library has ${matrix.ids.length} usable photo${matrix.ids.length === 1 ? '' : 's'}. Add more photos and organize again.`,
      )
    const k = Math.min(params.knn, matrix.ids.length - 1)
    shared.neighbours = await ensureNeighbours(lib.db, params.model, matrix, k, {
      signal: ctx?.signal,
      onProgress: (done, total) => ctx?.report(done, total),
    })
    return shared.neighbours
  }
  /**
   * The run for these photos and parameters: an unfinished one to continue, the current one when
   * it was trained with exactly these (training is repeatable, so it is not redone), or a new one.
   */
  const run = () => {
    if (shared.runId !== undefined) return shared.runId
    const key = runParams(params, features())
    const open = findResumableRun(lib.db, params.model, key)
    const current = currentRun(lib.db)
    const same =
      current &&
      current.model === params.model &&
      JSON.stringify(current.params) === JSON.stringify(key)
    shared.runId = open?.id ?? (same ? current.id : createRun(lib.db, params.model, key, 'scan'))
    return shared.runId
  }
  /** Runs a training stage; a failure or cancel is written on the run too (it stays resumable). */
  const training =
    (work: (ctx: StageContext) => Promise<void>) =>
    async (ctx: StageContext): Promise<void> => {
      try {
        await work(ctx)
      } catch (error) {
        if (shared.runId !== undefined) {
          const cancelled = isAbort(error, ctx.signal)
          setRunState(
            lib.db,
            shared.runId,
            cancelled ? 'cancelled' : 'failed',
            cancelled ? null : errorMessage(error),
          )
        }
        throw error
      }
    }
  const scanStage = async (ctx: StageContext) => {
    await backend()
    const runId = run()
    if (getRun(lib.db, runId)?.stage !== 'scan') return // trained before a crash
    const n = features().ids.length
    if (typeof params.clusters === 'number' && params.clusters > n)
      throw new Error(
        `Asked for ${params.clusters} groups, but the library has only ${n} usable photos: ask for at most ${n} groups, or let Kindred choose (auto).`,
      )
    const model = await trainScanStage(
      trainingInput(params, features(), await neighbours(), lib, ctx),
    )
    saveCheckpoint(lib.db, runId, 'selflabel', model.checkpoint, { scan: model.metrics })
    hooks.onTrained?.('scan', model.checkpoint)
  }
  const stages: JobSpec['stages'] = [
    {
      stage: 'import',
      async run(ctx) {
        if (params.folders.length === 0) return
        shared.imported = await importFolders(lib, params.folders, {
          signal: ctx.signal,
          onProgress: (stage, done, total) => stage === 'import' && ctx.report(done, total),
        })
      },
    },
    {
      stage: 'embed',
      async run(ctx) {
        await backend()
        const embedded = await embedLibrary(lib, {
          model: params.model,
          views: params.views,
          backend: params.backend,
          signal: ctx.signal,
          onProgress: (done, total) => ctx.report(done, total),
        })
        shared.embedder = embedded.embedder ?? shared.embedder
      },
    },
    { stage: 'neighbours', run: async (ctx) => void (await neighbours(ctx)) },
    { stage: 'scan', run: training(scanStage) },
    {
      stage: 'selflabel',
      run: training(async (ctx) => {
        await backend()
        const runId = run()
        if (getRun(lib.db, runId)?.stage === 'scan') await scanStage(ctx) // the job outran its run
        if (getRun(lib.db, runId)?.stage !== 'selflabel') return
        const scan = loadCheckpoint<ModelCheckpoint>(lib.db, runId)
        if (!scan) throw new Error(`Run ${runId} lost its SCAN checkpoint; start organizing again.`)
        const input = trainingInput(params, features(), await neighbours(), lib, ctx)
        const model = await trainSelfLabelStage(input, scan)
        saveCheckpoint(lib.db, runId, 'assign', model.checkpoint, { selflabel: model.metrics })
        hooks.onTrained?.('selflabel', model.checkpoint)
      }),
    },
    {
      stage: 'assign',
      run: training(async (ctx) => {
        await backend()
        const runId = run()
        if (getRun(lib.db, runId)?.state === 'done') return // assigned before a crash
        if (getRun(lib.db, runId)?.stage !== 'assign')
          throw new Error(`Run ${runId} is not trained yet.`)
        const checkpoint = loadCheckpoint<ModelCheckpoint>(lib.db, runId)
        if (!checkpoint) throw new Error(`Run ${runId} has no trained model to assign photos with.`)
        const matrix = features()
        ctx.report(0, matrix.ids.length)
        const { probs, k } = await predictModel(checkpoint, matrix.data, matrix.ids.length)
        const unsorted = trainingOutliers(probs, matrix.ids.length, k, await neighbours())
        finishRun(lib.db, runId, { photoIds: matrix.ids, probs, k, features: matrix, unsorted })
        ctx.report(matrix.ids.length, matrix.ids.length)
      }),
    },
  ]
  return { kind: 'organize', params, stages }
}

function trainingInput(
  params: OrganizeParams,
  features: FeatureMatrix,
  neighbours: NeighbourTable,
  lib: Library,
  ctx: StageContext,
) {
  return {
    features: features.data,
    n: features.ids.length,
    dim: features.dim,
    views: viewFeatures(lib.db, params.model, features, params.views),
    neighbours: neighbours.index,
    knn: neighbours.k,
    clusters: params.clusters,
    seed: params.seed,
    signal: ctx.signal,
    onProgress: (epoch: number, epochs: number, loss: number) =>
      ctx.report(epoch, epochs, { loss, epoch }),
  }
}

export interface OrganizeOptions {
  signal?: AbortSignal
  onProgress?: ProgressCallback
}

/**
 * Starts (queues) an organize job; `finished` resolves with the groups found. Without the model
 * it throws ModelMissingError at once, before anything is imported.
 */
export function startOrganize(
  lib: Library,
  params: OrganizeParams,
  options: OrganizeOptions & { resumeJobId?: number; hooks?: OrganizeHooks } = {},
): StartedJob & { result: Promise<OrganizeResult> } {
  locateModel(params.model, librarySearch(lib))
  const shared: Shared = { imported: null }
  const started = startJob(lib, organizeJob(lib, params, shared, options.hooks), options)
  const result = started.finished.then((job): OrganizeResult => ({
    jobId: job.jobId,
    runId: shared.runId!,
    backend: shared.backend!.backend,
    device: shared.backend!.device,
    embedder: shared.embedder ?? null,
    imported: shared.imported,
    seconds: job.stageSeconds,
    groups: listGroups(lib.db),
  }))
  return { ...started, result }
}

/** Runs organize to the end, continuing an interrupted organize job with the same parameters. */
export function organize(
  lib: Library,
  params: OrganizeParams,
  options: OrganizeOptions = {},
): Promise<OrganizeResult> {
  const open = findResumableJob(lib.db, 'organize')
  const same = open && JSON.stringify(open.params) === JSON.stringify(params)
  return startOrganize(lib, params, { ...options, resumeJobId: same ? open.id : undefined }).result
}

/** Resumes the newest interrupted organize job, if any (the contract's organize.resume). */
export function resumeOrganize(
  lib: Library,
  options: OrganizeOptions = {},
): ReturnType<typeof startOrganize> | null {
  const open = findResumableJob(lib.db, 'organize')
  if (!open) return null
  return startOrganize(lib, organizeParams(open.params as Partial<OrganizeParams>), {
    ...options,
    resumeJobId: open.id,
  })
}
