import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/core/store/database'
import { columns, databaseAt } from './helpers'

describe('migration 008 hidden photos', () => {
  it('keeps every photo shown and every thumbnail, with no sharpness measured yet', () => {
    const db = databaseAt(7)
    db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/p', 0)`).run()
    db.prepare(
      `INSERT INTO photos (id, folder_id, path, size, mtime_ms, status, imported_at, updated_at)
       VALUES (1, 1, '/p/a.jpg', 1, 1, 'ok', 0, 0)`,
    ).run()
    db.prepare(
      `INSERT INTO thumbnails (photo_id, file, width, height, bytes) VALUES (1, 'a.jpg', 4, 3, 9)`,
    ).run()
    migrate(db, 8)
    expect(db.pragma('user_version', { simple: true })).toBe(8)
    expect(columns(db, 'photos')).toContain('hidden')
    expect(db.prepare(`SELECT hidden FROM photos`).pluck().all()).toEqual([0])
    expect(db.prepare(`SELECT file, sharpness FROM thumbnails`).all()).toEqual([
      { file: 'a.jpg', sharpness: null },
    ])
  })

  it('refuses a hidden mark other than 0 or 1', () => {
    const db = databaseAt(8)
    db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/p', 0)`).run()
    db.prepare(
      `INSERT INTO photos (id, folder_id, path, size, mtime_ms, status, imported_at, updated_at)
       VALUES (1, 1, '/p/a.jpg', 1, 1, 'ok', 0, 0)`,
    ).run()
    db.prepare(`UPDATE photos SET hidden = 1`).run()
    expect(() => db.prepare(`UPDATE photos SET hidden = 2`).run()).toThrow(/CHECK/)
  })
})
