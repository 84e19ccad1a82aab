import Database from 'better-sqlite3'
import { migrations as allMigrations, type Migration } from './migrations'

export type Db = Database.Database

/** Opens (creating if needed) a SQLite file with the pragmas Kindred relies on. */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false })
  if (!options.readonly) db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('synchronous = NORMAL')
  return db
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Runs the migrations newer than the database, each in its own transaction, up to `target`.
 * A database written by a newer Kindred is refused rather than guessed at.
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
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
  return schemaVersion(db)
}
