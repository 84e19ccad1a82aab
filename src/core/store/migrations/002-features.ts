import type { Migration } from './types'

/**
 * Embeddings per photo, model and view (view 0 is the photo itself, 1.. are augmented views
 * used for training), and the mined nearest neighbours.
 */
export const m002Features: Migration = {
  version: 2,
  name: 'features',
  up(db) {
    db.exec(`
      CREATE TABLE embeddings (
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        view INTEGER NOT NULL DEFAULT 0,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (photo_id, model, view)
      ) WITHOUT ROWID;
      CREATE INDEX embeddings_model ON embeddings(model, view);

      CREATE TABLE neighbours (
        model TEXT NOT NULL,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        rank INTEGER NOT NULL,
        neighbour_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        similarity REAL NOT NULL,
        PRIMARY KEY (model, photo_id, rank)
      ) WITHOUT ROWID;
    `)
  },
}
