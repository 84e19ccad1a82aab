import type { Migration } from './types'

/**
 * `clusters.kept`: a person made or shaped this group (named it, merged others into it, split it
 * or is one of its parts), so it survives retraining with its members. Groups of earlier
 * libraries get the mark from what shows they were edited: a name, being made by a person,
 * having groups merged into them, or a merge or split in the edit journal not undone.
 */
export const m006KeptGroups: Migration = {
  version: 6,
  name: 'kept-groups',
  up(db) {
    db.exec(`
      ALTER TABLE clusters ADD COLUMN kept INTEGER NOT NULL DEFAULT 0 CHECK (kept IN (0, 1));

      UPDATE clusters SET kept = 1
      WHERE name IS NOT NULL
         OR created_by = 'user'
         OR id IN (SELECT merged_into FROM clusters WHERE merged_into IS NOT NULL)
         OR id IN (
           SELECT json_extract(c.value, '$.id')
           FROM edits e, json_each(e.payload, '$.clusters') c
           WHERE e.kind IN ('merge', 'split') AND e.undone = 0
             AND json_extract(c.value, '$.after.merged_into') IS NULL
         );
    `)
  },
}
