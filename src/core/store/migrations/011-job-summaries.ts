import type { Migration } from './types'

/**
 * What a finished job found out (its summary, JSON) and how long it took, kept with the job so
 * that a window opened later says it too, not only the window that watched the job end.
 */
export const m011JobSummaries: Migration = {
  version: 11,
  name: 'job-summaries',
  up(db) {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN summary TEXT;
      ALTER TABLE jobs ADD COLUMN seconds REAL;
    `)
  },
}
