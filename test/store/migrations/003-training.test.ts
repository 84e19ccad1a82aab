import { describe, expect, it } from 'vitest'
import { databaseAt, tables } from './helpers'

describe('migration 003 training', () => {
  it('adds jobs, runs, clusters and assignments', () => {
    const db = databaseAt(3)
    expect(db.pragma('user_version', { simple: true })).toBe(3)
    expect(tables(db)).toEqual(expect.arrayContaining(['jobs', 'runs', 'clusters', 'assignments']))
  })

  it('ties clusters and assignments to their run and keeps user placements apart', () => {
    const db = databaseAt(3)
    db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/p', 0)`).run()
    db.prepare(
      `INSERT INTO photos (id, folder_id, path, size, mtime_ms, status, imported_at, updated_at) VALUES (1, 1, '/p/a.jpg', 1, 1, 'ok', 0, 0)`,
    ).run()
    db.prepare(`INSERT INTO runs (id, model, state, created_at) VALUES (1, 'm', 'done', 0)`).run()
    db.prepare(`INSERT INTO clusters (id, run_id, idx, name) VALUES (10, 1, 0, 'Cats')`).run()
    expect(() => db.prepare(`INSERT INTO clusters (run_id, idx) VALUES (1, 0)`).run()).toThrow(
      /UNIQUE/,
    )
    db.prepare(
      `INSERT INTO assignments (photo_id, run_id, cluster_id, probability, confidence, source) VALUES (1, 1, 10, 0.9, 0.9, 'user')`,
    ).run()
    expect(() =>
      db
        .prepare(
          `INSERT INTO assignments (photo_id, run_id, cluster_id, probability, confidence, source) VALUES (1, 1, 10, 1, 1, 'robot')`,
        )
        .run(),
    ).toThrow(/CHECK|UNIQUE|PRIMARY/)
    db.prepare(`DELETE FROM runs WHERE id = 1`).run()
    expect(
      db
        .prepare(`SELECT (SELECT count(*) FROM clusters) + (SELECT count(*) FROM assignments) AS n`)
        .get(),
    ).toEqual({ n: 0 })
  })
})
