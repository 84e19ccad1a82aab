import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/core/store/database'
import { databaseAt, tables } from './helpers'

/** A run with groups 1, 2 and 3. */
function withGroups(version: number) {
  const db = databaseAt(version)
  db.prepare(
    `INSERT INTO runs (id, model, params, state, stage, created_at) VALUES (1, 'm', '{}', 'done', 'scan', 0)`,
  ).run()
  for (const id of [1, 2, 3])
    db.prepare(`INSERT INTO clusters (id, run_id, idx) VALUES (?, 1, ?)`).run(id, id - 1)
  return db
}

describe('migration 010 apart groups', () => {
  it('adds the table and keeps the groups as they were', () => {
    const db = withGroups(9)
    migrate(db, 10)
    expect(db.pragma('user_version', { simple: true })).toBe(10)
    expect(tables(db)).toContain('apart_groups')
    expect(db.prepare(`SELECT count(*) FROM clusters`).pluck().get()).toBe(3)
    expect(db.prepare(`SELECT count(*) FROM apart_groups`).pluck().get()).toBe(0)
  })

  it('stores each pair once, smaller id first, and drops it with either group', () => {
    const db = withGroups(10)
    const add = db.prepare(
      `INSERT INTO apart_groups (group_a, group_b, created_at) VALUES (?, ?, 0)`,
    )
    add.run(1, 2)
    add.run(2, 3)
    expect(() => add.run(1, 2)).toThrow(/UNIQUE|PRIMARY KEY/)
    expect(() => add.run(3, 1)).toThrow(/CHECK/)
    expect(() => add.run(1, 99)).toThrow(/FOREIGN KEY/)
    db.prepare(`DELETE FROM clusters WHERE id = 3`).run()
    expect(db.prepare(`SELECT group_a, group_b FROM apart_groups`).all()).toEqual([
      { group_a: 1, group_b: 2 },
    ])
  })
})
