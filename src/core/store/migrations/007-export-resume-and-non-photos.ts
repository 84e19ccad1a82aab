import type { Migration } from './types'

/**
 * - Exports get the state `interrupted` (cancelled, or the process stopped: it can be resumed or
 *   undone), and each export item the name of the temporary file it is being written to, so a
 *   resume or an undo after a crash removes that file and nothing else.
 * - Photos get `not_a_photo`: the file's first bytes showed it is no image, so an unchanged file
 *   (same size and mtime) is not read again on the next import.
 *
 * SQLite cannot change a CHECK constraint in place: the two export tables are copied into new
 * ones. The new items table refers to the new exports table before both are renamed, so no
 * foreign-key action ever fires on the old rows.
 */
export const m007ExportResumeAndNonPhotos: Migration = {
  version: 7,
  name: 'export-resume-and-non-photos',
  up(db) {
    db.exec(`
      CREATE TABLE exports_new (
        id INTEGER PRIMARY KEY,
        destination TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('copy', 'hardlink', 'symlink', 'move')),
        state TEXT NOT NULL
          CHECK (state IN ('running', 'interrupted', 'done', 'failed', 'undone')),
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        error TEXT
      );
      INSERT INTO exports_new (id, destination, mode, state, started_at, finished_at, error)
        SELECT id, destination, mode, state, started_at, finished_at, error FROM exports;

      CREATE TABLE export_items_new (
        export_id INTEGER NOT NULL REFERENCES exports_new(id) ON DELETE CASCADE,
        photo_id INTEGER REFERENCES photos(id) ON DELETE SET NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
        partial TEXT,
        PRIMARY KEY (export_id, target)
      ) WITHOUT ROWID;
      INSERT INTO export_items_new (export_id, photo_id, source, target, done)
        SELECT export_id, photo_id, source, target, done FROM export_items;

      DROP TABLE export_items;
      DROP TABLE exports;
      ALTER TABLE exports_new RENAME TO exports;
      ALTER TABLE export_items_new RENAME TO export_items;

      CREATE TABLE export_folders (
        export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        PRIMARY KEY (export_id, path)
      ) WITHOUT ROWID;

      ALTER TABLE photos ADD COLUMN not_a_photo INTEGER NOT NULL DEFAULT 0
        CHECK (not_a_photo IN (0, 1));
    `)
  },
}
