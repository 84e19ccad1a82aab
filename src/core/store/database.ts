import Database from 'better-sqlite3'
import { migrations as allMigrations, type Migration } from './migrations'

export type Db = Database.Database

/** How long a statement waits for another connection's write lock before giving up. */
export const BUSY_TIMEOUT_MS = 5000

/** Opens (creating if needed) a SQLite file with the pragmas Kindred relies on. */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  // The busy timeout comes first: switching a new file to WAL waits for other openers too.
  const db = new Database(file, { readonly: options.readonly ?? false, timeout: BUSY_TIMEOUT_MS })
  if (!options.readonly) db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma('synchronous = NORMAL')
  return db
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Runs the migrations newer than the database, each in its own transaction, up to `target`.
 * A database written by a newer Kindred is refused rather than guessed at. Each transaction takes
 * the write lock first (BEGIN IMMEDIATE) and reads the version again under it, so processes that
 * open a new library at the same moment wait for each other instead of running a step twice.
 */
export function migrate(
  db: Db,
  target?: number,
  list: readonly Migration[] = allMigrations,
): number {
  const latest = list.at(-1)?.version ?? 0
  const goal = target ?? latest
  const current = schemaVersion(db)
  if (current > latest) {
    throw new Error(
      `This library was written by a newer version of Kindred (schema ${current}, this version knows ${latest}). Update Kindred to open it.`,
    )
  }
  for (const migration of list) {
    if (migration.version <= current || migration.version > goal) continue
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return // another process ran it meanwhile
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    }).immediate()
  }
  return schemaVersion(db)
}
