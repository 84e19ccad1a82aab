import type { Db } from '../store/database'
import type { JobInfo, JobKind, JobState, JobSummary, Stage } from '../../shared/jobs'

interface JobRow {
  id: number
  kind: string
  params: string
  state: string
  stage: string | null
  done: number
  total: number
  error: string | null
  created_at: number
  updated_at: number
  summary: string | null
  seconds: number | null
}

/** A job as stored, with its parameters parsed back. */
export interface StoredJob extends JobInfo {
  params: Record<string, unknown>
}

function fromRow(row: JobRow): StoredJob {
  return {
    id: row.id,
    kind: row.kind as JobKind,
    state: row.state as JobState,
    stage: row.stage as Stage | null,
    done: row.done,
    total: row.total,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    summary: parseSummary(row.summary),
    seconds: row.seconds,
    params: JSON.parse(row.params) as Record<string, unknown>,
  }
}

/** A stored summary; null when there is none or it cannot be read (it is only information). */
function parseSummary(text: string | null): JobSummary | null {
  if (text === null) return null
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as JobSummary)
      : null
  } catch {
    return null
  }
}

/** Import failures kept with a job's summary; the library itself records every failed photo. */
export const STORED_FAILURES = 100

/** Records that a job finished: its summary (failures capped) and how long it ran. */
export function finishJob(db: Db, id: number, summary: JobSummary | undefined, seconds: number) {
  const imported = summary?.imported
  const kept =
    imported && imported.failed.length > STORED_FAILURES
      ? { ...summary, imported: { ...imported, failed: imported.failed.slice(0, STORED_FAILURES) } }
      : summary
  db.prepare(
    `UPDATE jobs SET state = 'done', summary = ?, seconds = ?, updated_at = ? WHERE id = ?`,
  ).run(kept ? JSON.stringify(kept) : null, seconds, Date.now(), id)
}

export function insertJob(db: Db, kind: JobKind, params: object): number {
  const now = Date.now()
  const result = db
    .prepare(
      `INSERT INTO jobs (kind, params, state, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?)`,
    )
    .run(kind, JSON.stringify(params), now, now)
  return Number(result.lastInsertRowid)
}

export function getJob(db: Db, id: number): StoredJob | null {
  const row = db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id) as JobRow | undefined
  return row ? fromRow(row) : null
}

export function listJobs(db: Db, limit = 50): StoredJob[] {
  const rows = db.prepare(`SELECT * FROM jobs ORDER BY id DESC LIMIT ?`).all(limit) as JobRow[]
  return rows.map(fromRow)
}

export type JobPatch = Partial<Pick<JobInfo, 'state' | 'stage' | 'done' | 'total' | 'error'>>

export function updateJob(db: Db, id: number, patch: JobPatch): void {
  const sets: string[] = []
  const values: unknown[] = []
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    sets.push(`${key} = ?`)
    values.push(value)
  }
  sets.push('updated_at = ?')
  values.push(Date.now(), id)
  db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...values)
}

/**
 * The newest job of `kind` that did not finish (crashed while running, failed or cancelled):
 * what a resume continues. A job that finished, or that was followed by a finished job of the
 * same kind, is not resumable.
 */
export function findResumableJob(db: Db, kind: JobKind): StoredJob | null {
  const row = db
    .prepare(
      `SELECT * FROM jobs WHERE kind = ? AND state IN ('running', 'failed', 'cancelled', 'queued')
         AND id > COALESCE((SELECT max(id) FROM jobs WHERE kind = ? AND state = 'done'), 0)
       ORDER BY id DESC LIMIT 1`,
    )
    .get(kind, kind) as JobRow | undefined
  return row ? fromRow(row) : null
}

/**
 * Jobs left 'running' or 'queued' by a process that is gone (a crash or a kill) are marked
 * failed so that nothing shows them as still going; they stay resumable.
 */
export function markInterruptedJobs(db: Db, exceptIds: readonly number[] = []): number {
  const placeholders = exceptIds.map(() => '?').join(', ')
  const result = db
    .prepare(
      `UPDATE jobs SET state = 'failed', error = 'Interrupted (the process stopped before the job finished).',
         updated_at = ? WHERE state IN ('running', 'queued')${exceptIds.length ? ` AND id NOT IN (${placeholders})` : ''}`,
    )
    .run(Date.now(), ...exceptIds)
  return result.changes
}
