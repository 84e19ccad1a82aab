import { describe, expect, it } from 'vitest'
import { databaseAt, tables } from './helpers'

describe('migration 002 features', () => {
  it('adds embeddings and neighbours on top of 001', () => {
    const db = databaseAt(2)
    expect(db.pragma('user_version', { simple: true })).toBe(2)
    expect(tables(db)).toEqual(expect.arrayContaining(['embeddings', 'neighbours', 'photos']))
  })

  it('stores a vector per photo, model and view and round-trips it as a BLOB', () => {
    const db = databaseAt(2)
    db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/p', 0)`).run()
    db.prepare(
      `INSERT INTO photos (id, folder_id, path, size, mtime_ms, status, imported_at, updated_at) VALUES (7, 1, '/p/a.jpg', 1, 1, 'ok', 0, 0)`,
    ).run()
    const vector = new Float32Array([0.25, -1, 3.5])
    const put = db.prepare(
      `INSERT INTO embeddings (photo_id, model, view, dim, vector, created_at) VALUES (7, 'm', ?, 3, ?, 0)`,
    )
    put.run(0, Buffer.from(vector.buffer))
    put.run(1, Buffer.from(vector.buffer))
    expect(() => put.run(0, Buffer.from(vector.buffer))).toThrow(/UNIQUE|PRIMARY/)
    const row = db
      .prepare(`SELECT vector FROM embeddings WHERE photo_id = 7 AND view = 0`)
      .get() as { vector: Buffer }
    expect(Array.from(new Float32Array(row.vector.buffer, row.vector.byteOffset, 3))).toEqual([
      0.25, -1, 3.5,
    ])
    db.prepare(
      `INSERT INTO neighbours (model, photo_id, rank, neighbour_id, similarity) VALUES ('m', 7, 0, 7, 1)`,
    ).run()
    db.prepare(`DELETE FROM photos WHERE id = 7`).run()
    expect(
      db
        .prepare(
          `SELECT (SELECT count(*) FROM embeddings) + (SELECT count(*) FROM neighbours) AS n`,
        )
        .get(),
    ).toEqual({ n: 0 })
  })
})
