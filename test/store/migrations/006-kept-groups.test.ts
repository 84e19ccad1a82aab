import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/core/store/database'
import { columns, databaseAt } from './helpers'

describe('migration 006 kept groups', () => {
  it('adds clusters.kept, 0 or 1, not kept by default', () => {
    const db = databaseAt(6)
    expect(columns(db, 'clusters')).toContain('kept')
    db.prepare(`INSERT INTO runs (id, model, state, created_at) VALUES (1, 'm', 'done', 0)`).run()
    db.prepare(`INSERT INTO clusters (id, run_id, idx) VALUES (1, 1, 0)`).run()
    expect(db.prepare(`SELECT kept FROM clusters`).pluck().get()).toBe(0)
    expect(() => db.prepare(`UPDATE clusters SET kept = 2`).run()).toThrow(/CHECK/)
  })

  it('marks the groups a person named, made, merged into or split in an existing library', () => {
    const db = databaseAt(4)
    db.prepare(`INSERT INTO runs (id, model, state, created_at) VALUES (1, 'm', 'done', 0)`).run()
    const add = db.prepare(
      `INSERT INTO clusters (id, run_id, idx, name, merged_into, created_by) VALUES (?, 1, ?, ?, ?, ?)`,
    )
    add.run(1, 0, null, null, 'model') // untouched
    add.run(2, 1, 'Cats', null, 'model') // named
    add.run(3, 2, null, null, 'model') // merge target
    add.run(4, 3, null, 3, 'model') // merged into 3
    add.run(5, 4, null, null, 'model') // split, then its part 6
    add.run(6, 5, null, null, 'user')
    add.run(7, 6, null, null, 'model') // split, but the split was undone
    add.run(8, 7, null, null, 'user')
    const state = (mergedInto: number | null) => ({ run_id: 1, merged_into: mergedInto })
    const journal = db.prepare(
      `INSERT INTO edits (at, kind, label, payload, undone) VALUES (0, 'split', 'Split', ?, ?)`,
    )
    const split = (parent: number, part: number) =>
      JSON.stringify({
        runId: 1,
        clusters: [
          { id: parent, before: state(null), after: state(null) },
          { id: part, before: null, after: state(null) },
        ],
        assignments: [],
      })
    journal.run(split(5, 6), 0)
    journal.run(split(7, 8), 1)

    migrate(db, 6)
    const kept = db.prepare(`SELECT id FROM clusters WHERE kept = 1 ORDER BY id`).pluck().all()
    expect(kept).toEqual([2, 3, 5, 6, 8])
  })
})
