import type { ComputeBackend } from '../../shared/contract'
import { DEFAULT_MODEL, DEFAULT_VIEWS } from '../ml/embed'
import type { FeatureMatrix } from './features'

export const DEFAULT_KNN = 20
export { DEFAULT_VIEWS }

/** What an organize job was asked to do; stored with the job so that it can be resumed. */
export interface OrganizeParams {
  folders: string[]
  clusters: number | 'auto'
  seed: number
  model: string
  knn: number
  views: number
  backend?: ComputeBackend
}

export function organizeParams(input: Partial<OrganizeParams> = {}): OrganizeParams {
  return {
    folders: input.folders ?? [],
    clusters: input.clusters ?? 'auto',
    seed: input.seed ?? 0,
    model: input.model ?? DEFAULT_MODEL,
    knn: input.knn ?? DEFAULT_KNN,
    views: input.views ?? DEFAULT_VIEWS,
    ...(input.backend ? { backend: input.backend } : {}),
  }
}

/** The parameters that decide a training run: equal ones let a run resume. */
export function runParams(params: OrganizeParams, features: FeatureMatrix): object {
  return {
    clusters: params.clusters,
    seed: params.seed,
    knn: params.knn,
    views: params.views,
    photos: features.ids.length,
    photoHash: hashIds(features.ids),
  }
}

function hashIds(ids: readonly number[]): number {
  let h = 2166136261
  for (const id of ids) h = Math.imul(h ^ id, 16777619) >>> 0
  return h
}
