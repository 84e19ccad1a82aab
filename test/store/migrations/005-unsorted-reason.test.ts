import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/core/store/database'
import { columns, databaseAt } from './helpers'

function photoWithAssignment(db: ReturnType<typeof databaseAt>): void {
  db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/p', 0)`).run()
  db.prepare(
    `INSERT INTO photos (id, folder_id, path, size, mtime_ms, status, imported_at, updated_at) VALUES (1, 1, '/p/a.jpg', 1, 1, 'ok', 0, 0)`,
  ).run()
  db.prepare(`INSERT INTO runs (id, model, state, created_at) VALUES (1, 'm', 'done', 0)`).run()
  db.prepare(
    `INSERT INTO assignments (photo_id, run_id, cluster_id, probability, confidence) VALUES (1, 1, NULL, 0.4, 0.4)`,
  ).run()
}

describe('migration 005 unsorted reason', () => {
  it('adds a reason to assignments and keeps the rows already there (reason NULL)', () => {
    const db = databaseAt(4)
    photoWithAssignment(db)
    migrate(db, 5)
    expect(db.pragma('user_version', { simple: true })).toBe(5)
    expect(columns(db, 'assignments')).toContain('reason')
    expect(db.prepare(`SELECT photo_id, reason FROM assignments`).all()).toEqual([
      { photo_id: 1, reason: null },
    ])
  })

  it('only accepts known reasons', () => {
    const db = databaseAt(5)
    photoWithAssignment(db)
    const set = db.prepare(`UPDATE assignments SET reason = ? WHERE photo_id = 1`)
    set.run('no-fit')
    expect(db.prepare(`SELECT reason FROM assignments`).pluck().get()).toBe('no-fit')
    expect(() => set.run('because')).toThrow(/CHECK/)
  })
})
