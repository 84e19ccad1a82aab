import type { Migration } from './types'

/** Source folders, photos with their import outcome, and the thumbnail cache index. */
export const m001Library: Migration = {
  version: 1,
  name: 'library',
  up(db) {
    db.exec(`
      CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        added_at INTEGER NOT NULL,
        last_scan_at INTEGER
      );

      CREATE TABLE photos (
        id INTEGER PRIMARY KEY,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        path TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        hash TEXT,
        format TEXT,
        width INTEGER,
        height INTEGER,
        orientation INTEGER,
        taken_at INTEGER,
        taken_at_source TEXT CHECK (taken_at_source IN ('exif', 'mtime')),
        gps_lat REAL,
        gps_lon REAL,
        camera TEXT,
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'missing')),
        error TEXT,
        duplicate_of INTEGER REFERENCES photos(id) ON DELETE SET NULL,
        imported_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX photos_hash ON photos(hash);
      CREATE INDEX photos_folder ON photos(folder_id);
      CREATE INDEX photos_status ON photos(status);

      CREATE TABLE thumbnails (
        photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
        file TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bytes INTEGER NOT NULL
      );
    `)
  },
}
