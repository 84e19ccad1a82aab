import type { Migration } from './types'

/**
 * Source folders get `watch`: while the app or `kindred serve` runs, photos added, changed or
 * removed in a watched folder are picked up without a rescan. Every folder is watched unless a
 * person switches it off (a slow network share, a folder that churns).
 */
export const m009WatchedFolders: Migration = {
  version: 9,
  name: 'watched-folders',
  up(db) {
    db.exec(`
      ALTER TABLE folders ADD COLUMN watch INTEGER NOT NULL DEFAULT 1 CHECK (watch IN (0, 1));
    `)
  },
}
