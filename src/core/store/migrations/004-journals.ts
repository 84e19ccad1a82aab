import type { Migration } from './types'

/**
 * The edit journal behind undo/redo (each entry stores what it did and how to reverse it, so
 * undo survives a restart) and the export journal (a move can be undone file by file).
 */
export const m004Journals: Migration = {
  version: 4,
  name: 'journals',
  up(db) {
    db.exec(`
      CREATE TABLE edits (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        payload TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
      );

      CREATE TABLE exports (
        id INTEGER PRIMARY KEY,
        destination TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('copy', 'hardlink', 'symlink', 'move')),
        state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'undone')),
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        error TEXT
      );

      CREATE TABLE export_items (
        export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
        photo_id INTEGER REFERENCES photos(id) ON DELETE SET NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
        PRIMARY KEY (export_id, target)
      ) WITHOUT ROWID;
    `)
  },
}
