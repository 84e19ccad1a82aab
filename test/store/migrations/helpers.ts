import Database from 'better-sqlite3'
import { migrate, type Db } from '../../../src/core/store/database'

/** An in-memory database migrated up to (and including) `version`. */
export function databaseAt(version: number): Db {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  migrate(db, version)
  return db
}

export function columns(db: Db, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name)
}

export function tables(db: Db): string[] {
  return (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as {
      name: string
    }[]
  ).map((t) => t.name)
}
