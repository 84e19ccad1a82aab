import type { Library } from '../store/library'
import type { ComputeBackend, EmbedderInfo } from '../../shared/contract'
import type { ImportSummary, ProgressCallback, Stage } from '../../shared/jobs'
import type { Db } from '../store/database'
import { librarySearch, locateModel } from '../ml/models'
import { findResumableJob, startJob, type StartedJob } from '../jobs'
import { listGroups, type GroupList } from '../clusters'
import { organizeJob, type OrganizeHooks } from './organize-job'
import { organizeParams, type OrganizeParams } from './params'

export { organizeJob, type OrganizeHooks } from './organize-job'

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

export interface OrganizeOptions {
  signal?: AbortSignal
  onProgress?: ProgressCallback
}

/**
 * The interrupted organize job that asking again with exactly `params` continues (the job runner
 * then skips the stages it finished); undefined when there is none.
 */
export function resumableOrganize(db: Db, params: OrganizeParams): number | undefined {
  const open = findResumableJob(db, 'organize')
  return open && JSON.stringify(open.params) === JSON.stringify(params) ? open.id : undefined
}

/** The parameters of the newest interrupted organize job, and its id (organize.resume). */
export function interruptedOrganize(db: Db): { jobId: number; params: OrganizeParams } | null {
  const open = findResumableJob(db, 'organize')
  return open ? { jobId: open.id, params: organizeParams(open.params) } : null
}

/**
 * Starts (queues) an organize job; `result` resolves with the groups found. Without the model
 * it throws ModelMissingError at once, before anything is imported.
 */
export function startOrganize(
  lib: Library,
  params: OrganizeParams,
  options: OrganizeOptions & { resumeJobId?: number; hooks?: OrganizeHooks } = {},
): StartedJob & { result: Promise<OrganizeResult> } {
  locateModel(params.model, librarySearch(lib))
  const started = startJob(lib, organizeJob(lib, params, options.hooks), options)
  const result = started.finished.then(({ jobId, summary = {}, stageSeconds }): OrganizeResult => ({
    jobId,
    runId: summary.runId!,
    backend: summary.backend!,
    device: summary.device!,
    embedder: summary.embedder ?? null,
    imported: summary.imported ?? null,
    seconds: stageSeconds,
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
  const resumeJobId = resumableOrganize(lib.db, params)
  return startOrganize(lib, params, { ...options, resumeJobId }).result
}

/** Resumes the newest interrupted organize job, if any. */
export function resumeOrganize(
  lib: Library,
  options: OrganizeOptions = {},
): ReturnType<typeof startOrganize> | null {
  const open = interruptedOrganize(lib.db)
  if (!open) return null
  return startOrganize(lib, open.params, { ...options, resumeJobId: open.jobId })
}
