import type { Database } from 'better-sqlite3'

/** One schema step. `version` is what PRAGMA user_version becomes once `up` has run. */
export interface Migration {
  version: number
  name: string
  up(db: Database): void
}
