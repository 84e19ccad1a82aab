import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/core/store/database'
import { columns, databaseAt } from './helpers'

function exportAtVersion4(db: ReturnType<typeof databaseAt>): void {
  db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/p', 0)`).run()
  db.prepare(
    `INSERT INTO photos (id, folder_id, path, size, mtime_ms, status, imported_at, updated_at)
     VALUES (1, 1, '/p/a.jpg', 1, 1, 'ok', 0, 0)`,
  ).run()
  db.prepare(
    `INSERT INTO exports (id, destination, mode, state, started_at, error)
     VALUES (3, '/out', 'move', 'failed', 5, 'Cancelled')`,
  ).run()
  db.prepare(
    `INSERT INTO export_items (export_id, photo_id, source, target, done)
     VALUES (3, 1, '/p/a.jpg', '/out/G/a.jpg', 1)`,
  ).run()
}

describe('migration 007 export resume and non-photos', () => {
  it('keeps every export and item, and adds the new columns', () => {
    const db = databaseAt(4)
    exportAtVersion4(db)
    migrate(db, 7)
    expect(db.pragma('user_version', { simple: true })).toBe(7)
    expect(db.prepare(`SELECT * FROM exports`).all()).toEqual([
      {
        id: 3,
        destination: '/out',
        mode: 'move',
        state: 'failed',
        started_at: 5,
        finished_at: null,
        error: 'Cancelled',
      },
    ])
    expect(db.prepare(`SELECT * FROM export_items`).all()).toEqual([
      {
        export_id: 3,
        photo_id: 1,
        source: '/p/a.jpg',
        target: '/out/G/a.jpg',
        done: 1,
        partial: null,
      },
    ])
    expect(columns(db, 'photos')).toContain('not_a_photo')
    expect(db.prepare(`SELECT not_a_photo FROM photos`).pluck().get()).toBe(0)
    expect(db.pragma('foreign_key_check')).toEqual([])
  })

  it('accepts the interrupted state, still refuses unknown ones, and still cascades', () => {
    const db = databaseAt(4)
    exportAtVersion4(db)
    migrate(db, 7)
    const setState = db.prepare(`UPDATE exports SET state = ? WHERE id = 3`)
    setState.run('interrupted')
    expect(() => setState.run('paused')).toThrow(/CHECK/)
    expect(() => db.prepare(`UPDATE photos SET not_a_photo = 2`).run()).toThrow(/CHECK/)
    // Items still belong to their export (the foreign key names the renamed table).
    expect(() =>
      db
        .prepare(`INSERT INTO export_items (export_id, source, target) VALUES (99, '/a', '/b')`)
        .run(),
    ).toThrow(/FOREIGN KEY/)
    db.prepare(`DELETE FROM photos WHERE id = 1`).run()
    expect(db.prepare(`SELECT photo_id FROM export_items`).pluck().get()).toBeNull()
    db.prepare(`INSERT INTO export_folders (export_id, path) VALUES (3, '/out/G')`).run()
    db.prepare(`DELETE FROM exports WHERE id = 3`).run()
    expect(db.prepare(`SELECT count(*) FROM export_items`).pluck().get()).toBe(0)
    expect(db.prepare(`SELECT count(*) FROM export_folders`).pluck().get()).toBe(0)
  })
})
