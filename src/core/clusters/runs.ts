import type { Db } from '../store/database'
import type { Stage } from '../../shared/jobs'
import { decodeCheckpoint, encodeCheckpoint } from './serialize'

export type RunState = 'running' | 'done' | 'failed' | 'cancelled'

export interface RunRecord {
  id: number
  model: string
  params: Record<string, unknown>
  state: RunState
  /** The stage the run is in (or stopped in): 'scan', 'selflabel', 'assign'. */
  stage: Stage | null
  metrics: Record<string, unknown>
  hasCheckpoint: boolean
  error: string | null
  createdAt: number
  finishedAt: number | null
}

interface RunRow {
  id: number
  model: string
  params: string
  state: string
  stage: string | null
  metrics: string
  has_checkpoint: number
  error: string | null
  created_at: number
  finished_at: number | null
}

const COLUMNS = `id, model, params, state, stage, metrics, checkpoint IS NOT NULL AS has_checkpoint, error,
  created_at, finished_at`

function fromRow(row: RunRow): RunRecord {
  return {
    id: row.id,
    model: row.model,
    params: JSON.parse(row.params) as Record<string, unknown>,
    state: row.state as RunState,
    stage: row.stage as Stage | null,
    metrics: JSON.parse(row.metrics) as Record<string, unknown>,
    hasCheckpoint: row.has_checkpoint === 1,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  }
}

export function createRun(db: Db, model: string, params: object, stage: Stage = 'scan'): number {
  const result = db
    .prepare(
      `INSERT INTO runs (model, params, state, stage, created_at) VALUES (?, ?, 'running', ?, ?)`,
    )
    .run(model, JSON.stringify(params), stage, Date.now())
  return Number(result.lastInsertRowid)
}

export function getRun(db: Db, id: number): RunRecord | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM runs WHERE id = ?`).get(id) as RunRow | undefined
  return row ? fromRow(row) : null
}

/** The current run: the newest finished one. Its groups are what the user sees. */
export function currentRun(db: Db): RunRecord | null {
  const row = db
    .prepare(`SELECT ${COLUMNS} FROM runs WHERE state = 'done' ORDER BY id DESC LIMIT 1`)
    .get() as RunRow | undefined
  return row ? fromRow(row) : null
}

/**
 * The newest unfinished run (crashed, failed or cancelled) newer than the current run, trained
 * with exactly these parameters: training resumes from its checkpoint instead of starting over.
 */
export function findResumableRun(db: Db, model: string, params: object): RunRecord | null {
  const row = db
    .prepare(
      `SELECT ${COLUMNS} FROM runs WHERE state != 'done' AND model = ? AND params = ?
         AND id > COALESCE((SELECT max(id) FROM runs WHERE state = 'done'), 0)
       ORDER BY id DESC LIMIT 1`,
    )
    .get(model, JSON.stringify(params)) as RunRow | undefined
  return row ? fromRow(row) : null
}

/** Stores a training checkpoint and the stage to continue with, merging `metrics` in. */
export function saveCheckpoint(
  db: Db,
  runId: number,
  stage: Stage,
  checkpoint: unknown,
  metrics: Record<string, unknown> = {},
): void {
  db.transaction(() => {
    const run = getRun(db, runId)
    if (!run) throw new Error(`There is no run ${runId}.`)
    db.prepare(
      `UPDATE runs SET stage = ?, checkpoint = ?, metrics = ?, state = 'running' WHERE id = ?`,
    ).run(
      stage,
      encodeCheckpoint(checkpoint),
      JSON.stringify({ ...run.metrics, ...metrics }),
      runId,
    )
  })()
}

export function loadCheckpoint<T = unknown>(db: Db, runId: number): T | null {
  const row = db.prepare(`SELECT checkpoint FROM runs WHERE id = ?`).get(runId) as
    { checkpoint: Buffer | null } | undefined
  return row?.checkpoint ? decodeCheckpoint<T>(row.checkpoint) : null
}

export function setRunState(
  db: Db,
  runId: number,
  state: Exclude<RunState, 'done'>,
  error: string | null = null,
): void {
  db.prepare(`UPDATE runs SET state = ?, error = ? WHERE id = ?`).run(state, error, runId)
}
