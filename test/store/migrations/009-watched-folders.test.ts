import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/core/store/database'
import { columns, databaseAt } from './helpers'

describe('migration 009 watched folders', () => {
  it('keeps every folder and watches each one by default', () => {
    const db = databaseAt(7)
    db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/p', 5), (2, '/q', 6)`).run()
    migrate(db, 9)
    expect(db.pragma('user_version', { simple: true })).toBe(9)
    expect(columns(db, 'folders')).toContain('watch')
    expect(db.prepare(`SELECT id, path, added_at, watch FROM folders ORDER BY id`).all()).toEqual([
      { id: 1, path: '/p', added_at: 5, watch: 1 },
      { id: 2, path: '/q', added_at: 6, watch: 1 },
    ])
    db.prepare(`INSERT INTO folders (path, added_at) VALUES ('/r', 7)`).run()
    expect(db.prepare(`SELECT watch FROM folders WHERE path = '/r'`).pluck().get()).toBe(1)
  })

  it('stores a switched-off folder and refuses anything but 0 or 1', () => {
    const db = databaseAt(9)
    db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/p', 5)`).run()
    db.prepare(`UPDATE folders SET watch = 0 WHERE id = 1`).run()
    expect(db.prepare(`SELECT watch FROM folders`).pluck().get()).toBe(0)
    expect(() => db.prepare(`UPDATE folders SET watch = 2`).run()).toThrow(/CHECK/)
  })
})
