// One row per (library, mode, stage): the figures the report aggregates.
import { scoreGrouping } from '../../src/core/ml/metrics'
import type { Mode } from './cluster'
import type { Library } from './scenarios'

export type Stage = 'kmeans' | 'scan' | 'selflabel' | 'final'

export interface RunScore {
  set: string
  scenario: string
  seed: number
  n: number
  /** True number of classes, and groups the stage produced. */
  k: number
  groups: number
  mode: Mode
  stage: Stage
  acc: number
  nmi: number
  ari: number
  purity: number
  moves: number
  merges: number
  /** (moves + merges) per 100 photos. */
  fix: number
  seconds: number
}

export function scoreRun(
  lib: Library,
  mode: Mode,
  stage: Stage,
  pred: Int32Array,
  seconds = 0,
): RunScore {
  const s = scoreGrouping(lib.labels, pred)
  return {
    set: lib.set,
    scenario: lib.scenario,
    seed: lib.seed,
    n: lib.labels.length,
    k: lib.k,
    groups: new Set(pred).size,
    mode,
    stage,
    acc: s.acc,
    nmi: s.nmi,
    ari: s.ari,
    purity: s.purity,
    moves: s.fixCost.moves,
    merges: s.fixCost.merges,
    fix: s.fixCost.per100,
    seconds,
  }
}

/** Metrics where higher is better; `fix` is lower-is-better. */
export const METRICS = ['acc', 'nmi', 'ari', 'purity', 'fix'] as const
export type Metric = (typeof METRICS)[number]

export function worst(metric: Metric, values: number[]): number {
  return metric === 'fix' ? Math.max(...values) : Math.min(...values)
}

export function mean(values: number[]): number {
  return values.reduce((a, v) => a + v, 0) / Math.max(1, values.length)
}

/** Population standard deviation (the spread over seeds). */
export function spread(values: number[]): number {
  const m = mean(values)
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)))
}
