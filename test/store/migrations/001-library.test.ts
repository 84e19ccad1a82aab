import { describe, expect, it } from 'vitest'
import { columns, databaseAt, tables } from './helpers'

describe('migration 001 library', () => {
  it('creates folders, photos and thumbnails', () => {
    const db = databaseAt(1)
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(tables(db)).toEqual(['folders', 'photos', 'thumbnails'])
    expect(columns(db, 'photos')).toEqual(
      expect.arrayContaining([
        'path',
        'size',
        'mtime_ms',
        'hash',
        'width',
        'height',
        'orientation',
        'taken_at',
        'gps_lat',
        'gps_lon',
        'status',
        'error',
        'duplicate_of',
      ]),
    )
  })

  it('keeps one row per path, checks the status and cascades a removed folder', () => {
    const db = databaseAt(1)
    db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/p', 0)`).run()
    const insert = db.prepare(
      `INSERT INTO photos (folder_id, path, size, mtime_ms, status, imported_at, updated_at) VALUES (1, ?, 1, 1, ?, 0, 0)`,
    )
    insert.run('/p/a.jpg', 'ok')
    expect(() => insert.run('/p/a.jpg', 'ok')).toThrow(/UNIQUE/)
    expect(() => insert.run('/p/b.jpg', 'weird')).toThrow(/CHECK/)
    db.prepare(
      `INSERT INTO thumbnails (photo_id, file, width, height, bytes) VALUES (1, 'x.webp', 1, 1, 1)`,
    ).run()
    db.prepare(`DELETE FROM folders WHERE id = 1`).run()
    expect(db.prepare(`SELECT count(*) AS n FROM photos`).get()).toEqual({ n: 0 })
    expect(db.prepare(`SELECT count(*) AS n FROM thumbnails`).get()).toEqual({ n: 0 })
  })
})
