import type { Migration } from './types'

/**
 * - `photos.hidden`: a person chose to keep another photo of a near-duplicate set; a hidden photo
 *   is left out of groups, search and exports, but stays on disk and in the library so that it
 *   can be shown again.
 * - `thumbnails.sharpness`: how sharp the thumbnail is (variance of its Laplacian), measured once
 *   when a near-duplicate set needs it. A new thumbnail replaces the row, so it is measured again.
 */
export const m008HiddenPhotos: Migration = {
  version: 8,
  name: 'hidden-photos',
  up(db) {
    db.exec(`
      ALTER TABLE photos ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));
      ALTER TABLE thumbnails ADD COLUMN sharpness REAL;
    `)
  },
}
