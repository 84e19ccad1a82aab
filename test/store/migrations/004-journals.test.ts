import { describe, expect, it } from 'vitest'
import { databaseAt, tables } from './helpers'

describe('migration 004 journals', () => {
  it('adds the edit journal and the export journal', () => {
    const db = databaseAt(4)
    expect(db.pragma('user_version', { simple: true })).toBe(4)
    expect(tables(db)).toEqual(expect.arrayContaining(['edits', 'exports', 'export_items']))
  })

  it('only accepts known export modes and cascades items with their export', () => {
    const db = databaseAt(4)
    const add = db.prepare(
      `INSERT INTO exports (id, destination, mode, state, started_at) VALUES (?, '/out', ?, 'done', 0)`,
    )
    add.run(1, 'move')
    expect(() => add.run(2, 'teleport')).toThrow(/CHECK/)
    db.prepare(
      `INSERT INTO export_items (export_id, source, target, done) VALUES (1, '/a.jpg', '/out/G/a.jpg', 1)`,
    ).run()
    db.prepare(`DELETE FROM exports WHERE id = 1`).run()
    expect(db.prepare(`SELECT count(*) AS n FROM export_items`).get()).toEqual({ n: 0 })
  })
})
