import type { Db } from '../../src/core/store/database'

/** Adds `count` usable photos (ids from `firstId`) under one folder; returns their ids. */
export function addPhotos(db: Db, count: number, firstId = 1): number[] {
  db.prepare(`INSERT OR IGNORE INTO folders (id, path, added_at) VALUES (1, '/photos', 0)`).run()
  const insert = db.prepare(
    `INSERT INTO photos (id, folder_id, path, size, mtime_ms, status, imported_at, updated_at)
     VALUES (?, 1, ?, 1, 1, 'ok', 0, 0)`,
  )
  const ids: number[] = []
  for (let id = firstId; id < firstId + count; id++) {
    insert.run(id, `/photos/p${id}.jpg`)
    ids.push(id)
  }
  return ids
}

/**
 * Probabilities for photos whose true cluster is `labels[i]`: `p` on it, the rest spread so the
 * runner-up is (label + 1) mod k. Confidence rises with i so the order is known.
 */
export function probabilities(labels: number[], k: number): Float32Array {
  const probs = new Float32Array(labels.length * k)
  labels.forEach((label, i) => {
    const p = 0.5 + (0.4 * i) / labels.length
    const rest = 1 - p
    for (let j = 0; j < k; j++) probs[i * k + j] = j === label ? p : rest / (k - 1)
    probs[i * k + ((label + 1) % k)] = rest / (k - 1) + 0.01
    probs[i * k + ((label + 2) % k)] = rest / (k - 1) - 0.01
  })
  return probs
}
