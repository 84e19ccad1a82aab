import type { Migration } from './types'

/**
 * Why the model left a photo in Unsorted. 'no-fit': it doesn't look like any group (its
 * similarity to the nearest group is below what that group's own members show). A photo a
 * person moved keeps the reason the model gave it, so that undoing the move brings it back.
 */
export const m005UnsortedReason: Migration = {
  version: 5,
  name: 'unsorted-reason',
  up(db) {
    db.exec(`
      ALTER TABLE assignments ADD COLUMN reason TEXT CHECK (reason IS NULL OR reason IN ('no-fit'));
    `)
  },
}
