import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/core/store/database'
import { columns, databaseAt } from './helpers'

describe('migration 011 job summaries', () => {
  it('adds an empty summary and duration to the jobs there were, keeping them', () => {
    const db = databaseAt(10)
    db.prepare(
      `INSERT INTO jobs (id, kind, params, state, created_at, updated_at) VALUES (1, 'organize', '{"clusters":"auto"}', 'done', 1, 2)`,
    ).run()
    migrate(db, 11)
    expect(db.pragma('user_version', { simple: true })).toBe(11)
    expect(columns(db, 'jobs')).toEqual(expect.arrayContaining(['summary', 'seconds']))
    expect(db.prepare(`SELECT * FROM jobs`).all()).toEqual([
      expect.objectContaining({
        id: 1,
        kind: 'organize',
        params: '{"clusters":"auto"}',
        state: 'done',
        summary: null,
        seconds: null,
      }),
    ])
  })

  it('stores a summary as text and a duration in seconds', () => {
    const db = databaseAt(11)
    db.prepare(
      `INSERT INTO jobs (kind, state, created_at, updated_at, summary, seconds) VALUES ('import', 'done', 1, 2, '{"assigned":3}', 1.5)`,
    ).run()
    expect(db.prepare(`SELECT summary, seconds FROM jobs`).get()).toEqual({
      summary: '{"assigned":3}',
      seconds: 1.5,
    })
  })
})
