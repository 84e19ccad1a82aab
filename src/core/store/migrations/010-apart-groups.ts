import type { Migration } from './types'

/**
 * Pairs of groups a person said are not the same kind, so "Looks like" stops suggesting them.
 * Group ids are unique across runs; a pair goes when either group is deleted (an undone split,
 * a run cleared away).
 */
export const m010ApartGroups: Migration = {
  version: 10,
  name: 'apart-groups',
  up(db) {
    db.exec(`
      CREATE TABLE apart_groups (
        group_a INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        group_b INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (group_a, group_b),
        CHECK (group_a < group_b)
      ) WITHOUT ROWID;
      CREATE INDEX apart_groups_b ON apart_groups(group_b);
    `)
  },
}
