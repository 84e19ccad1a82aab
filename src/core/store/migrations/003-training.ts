import type { Migration } from './types'

/**
 * Jobs (resumable pipeline stages), training runs with their checkpoint, the clusters a run
 * found and every photo's assignment. `source = 'user'` marks a photo a person placed by hand:
 * it keeps its place when the model is trained again.
 */
export const m003Training: Migration = {
  version: 3,
  name: 'training',
  up(db) {
    db.exec(`
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        stage TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        model TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled')),
        stage TEXT,
        metrics TEXT NOT NULL DEFAULT '{}',
        checkpoint BLOB,
        error TEXT,
        created_at INTEGER NOT NULL,
        finished_at INTEGER
      );

      CREATE TABLE clusters (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        name TEXT,
        merged_into INTEGER REFERENCES clusters(id) ON DELETE SET NULL,
        created_by TEXT NOT NULL DEFAULT 'model' CHECK (created_by IN ('model', 'user')),
        centroid BLOB,
        UNIQUE (run_id, idx)
      );

      CREATE TABLE assignments (
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        cluster_id INTEGER REFERENCES clusters(id) ON DELETE SET NULL,
        probability REAL NOT NULL,
        confidence REAL NOT NULL,
        runner_up_cluster_id INTEGER REFERENCES clusters(id) ON DELETE SET NULL,
        source TEXT NOT NULL DEFAULT 'model' CHECK (source IN ('model', 'user')),
        PRIMARY KEY (photo_id, run_id)
      ) WITHOUT ROWID;
      CREATE INDEX assignments_cluster ON assignments(cluster_id);
    `)
  },
}
