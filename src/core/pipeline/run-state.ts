/**
 * What an organize job's stages share: the backend, the features and neighbours (computed once
 * per attempt, rebuilt from the library after a resume) and the training run with its
 * checkpoints. The job row (jobs.stage) alone says which stages are done; a run only keeps what
 * the training stages produced, so that a later stage, or a resumed job, can go on from it.
 */
import type { ComputeBackend, EmbedderInfo } from '../../shared/contract'
import type { ImportSummary, JobSummary } from '../../shared/jobs'
import type { Db } from '../store/database'
import type { Library } from '../store/library'
import { errorMessage, isAbort, type StageContext } from '../jobs'
import { initBackend } from '../ml/backend'
import {
  createRun,
  findResumableRun,
  getRun,
  loadCheckpoint,
  saveCheckpoint,
  setRunState,
  type RunRecord,
} from '../clusters'
import { usableFeatures, viewFeatures, type FeatureMatrix } from './features'
import { restrictToRows, trainingRows } from './bursts'
import { ensureNeighbours, type NeighbourTable } from './neighbours'
import { runParams, type OrganizeParams } from './params'
import type { ModelCheckpoint, TrainedModel, TrainingInput, TrainingPhotos } from './training'

export type TrainingStage = 'scan' | 'selflabel'

/**
 * How a checkpoint is recorded in runs.stage: as the stage it feeds (the SCAN model feeds
 * self-labeling, the refined model feeds assign), as libraries have always stored it.
 */
const FEEDS: Record<TrainingStage, 'selflabel' | 'assign'> = {
  scan: 'selflabel',
  selflabel: 'assign',
}

/** The run trained by organize job `jobId` (whatever photos it holds now), if it has one. */
export function runOfJob(db: Db, jobId: number): RunRecord | null {
  const id = db
    .prepare(`SELECT id FROM runs WHERE json_extract(params, '$.jobId') = ? ORDER BY id DESC`)
    .pluck()
    .get(jobId) as number | undefined
  return id === undefined ? null : getRun(db, id)
}

/** The model `stage` trained in this run; null when it has not been trained (or was lost). */
export function trainedModel(db: Db, run: RunRecord, stage: TrainingStage): ModelCheckpoint | null {
  // A run holds one checkpoint: once self-labeling saved its model, SCAN's is gone.
  const held = run.state === 'done' ? 'assign' : run.stage
  return held === FEEDS[stage] ? loadCheckpoint<ModelCheckpoint>(db, run.id) : null
}

export class OrganizeState {
  #backend?: { backend: ComputeBackend; device: string }
  #features?: FeatureMatrix
  #neighbours?: NeighbourTable
  #runId?: number
  #training?: TrainingPhotos
  embedder?: EmbedderInfo | null
  imported?: ImportSummary

  constructor(
    readonly lib: Library,
    readonly params: OrganizeParams,
  ) {}

  async backend(): Promise<{ backend: ComputeBackend; device: string }> {
    return (this.#backend ??= await initBackend(this.params.backend))
  }

  features(): FeatureMatrix {
    return (this.#features ??= usableFeatures(this.lib.db, this.params.model))
  }

  async neighbours(ctx?: StageContext): Promise<NeighbourTable> {
    if (this.#neighbours) return this.#neighbours
    const matrix = this.features()
    if (matrix.ids.length < 2)
      throw new Error(
        `Organizing needs at least two photos to compare; this library has ${matrix.ids.length} usable photo${matrix.ids.length === 1 ? '' : 's'}. Add more photos and organize again.`,
      )
    const k = Math.min(this.params.knn, matrix.ids.length - 1)
    this.#neighbours = await ensureNeighbours(this.lib.db, this.params.model, matrix, k, {
      signal: ctx?.signal,
      onProgress: (done, total) => ctx?.report(done, total),
    })
    return this.#neighbours
  }

  /**
   * The run this job trains: its own from an earlier attempt, or a new one. (A run left by a
   * version that did not tie runs to jobs is found by its parameters.)
   */
  run(jobId: number): RunRecord {
    if (this.#runId === undefined) {
      const { db } = this.lib
      const key = runParams(this.params, this.features())
      const own = runOfJob(db, jobId) ?? findResumableRun(db, this.params.model, key)
      this.#runId = own?.id ?? createRun(db, this.params.model, { ...key, jobId })
    }
    return getRun(this.lib.db, this.#runId)!
  }

  /** The checkpoint an earlier training stage of this job left; a clear error when missing. */
  requireTrained(jobId: number, stage: TrainingStage): ModelCheckpoint {
    const run = this.run(jobId)
    const model = trainedModel(this.lib.db, run, stage)
    if (!model) throw new Error(`Run ${run.id} lost its ${stage} model; start organizing again.`)
    return model
  }

  saveTrained(jobId: number, stage: TrainingStage, model: TrainedModel): void {
    const metrics = { [stage]: model.metrics }
    saveCheckpoint(this.lib.db, this.run(jobId).id, FEEDS[stage], model.checkpoint, metrics)
  }

  /** Runs a training stage; a failure or cancel is written on the run too, for people to see. */
  training(work: (ctx: StageContext) => Promise<void>): (ctx: StageContext) => Promise<void> {
    return async (ctx) => {
      try {
        await work(ctx)
      } catch (error) {
        if (this.#runId !== undefined) {
          const cancelled = isAbort(error, ctx.signal)
          const state = cancelled ? 'cancelled' : 'failed'
          setRunState(this.lib.db, this.#runId, state, cancelled ? null : errorMessage(error))
        }
        throw error
      }
    }
  }

  /**
   * What training learns from, worked out once per attempt (both training stages read it): the
   * usable photos, one per burst (see pipeline/bursts).
   */
  async #trainingPhotos(signal: AbortSignal): Promise<TrainingPhotos> {
    if (this.#training) return this.#training
    const features = this.features()
    const neighbours = await this.neighbours()
    const whole: TrainingPhotos = {
      features: features.data,
      n: features.ids.length,
      dim: features.dim,
      views: viewFeatures(this.lib.db, this.params.model, features, this.params.views),
      neighbours: neighbours.index,
      knn: neighbours.k,
    }
    const rows = trainingRows(this.lib.db, features)
    this.#training = await restrictToRows(whole, rows, signal)
    return this.#training
  }

  async trainingInput(ctx: StageContext): Promise<TrainingInput> {
    return {
      ...(await this.#trainingPhotos(ctx.signal)),
      clusters: this.params.clusters,
      seed: this.params.seed,
      signal: ctx.signal,
      onProgress: (epoch: number, epochs: number, loss: number) =>
        ctx.report(epoch, epochs, { loss, epoch }),
    }
  }

  /** What this attempt did, for the job's 'done' event. */
  summary(): JobSummary {
    return {
      ...(this.imported ? { imported: this.imported } : {}),
      runId: this.#runId,
      backend: this.#backend?.backend,
      device: this.#backend?.device,
      embedder: this.embedder ?? null,
      ...(this.#training
        ? { learnt: { photos: this.#training.n, leftInBursts: this.#training.leftInBursts ?? 0 } }
        : {}),
    }
  }
}
