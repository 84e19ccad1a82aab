/**
 * Photos replaced on disk by special files between planning and running an export: the export
 * ends (failed, with the reason) instead of blocking on a FIFO forever.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createExport, runExport } from '../../src/core/export'
import type { Library } from '../../src/core/store/library'
import { buildFixture } from '../edits/fixture'
import { tempDir } from '../helpers/tmp'

const open: Library[] = []
afterEach(() => {
  for (const lib of open.splice(0)) lib.close()
})

function ends<T>(promise: Promise<T>, ms = 15_000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`hung for more than ${ms} ms`)), ms).unref(),
    ),
  ])
}

describe('an export whose photo became a special file', () => {
  it.each(['copy', 'move', 'hardlink', 'symlink'] as const)(
    '%s: a photo replaced by a FIFO fails the export with the reason, it does not hang',
    async (mode) => {
      const fixture = await buildFixture(3)
      open.push(fixture.lib)
      const destination = path.join(tempDir(), 'Sorted')
      const { exportId } = await createExport(fixture.lib, { destination, mode })
      const first = fixture.lib.db
        .prepare(`SELECT source FROM export_items WHERE export_id = ? ORDER BY target LIMIT 1`)
        .pluck()
        .get(exportId) as string
      fs.rmSync(first)
      execFileSync('mkfifo', [first])
      await expect(ends(runExport(fixture.lib, exportId))).rejects.toThrow(/named pipe/)
      const state = fixture.lib.db
        .prepare(`SELECT state FROM exports WHERE id = ?`)
        .pluck()
        .get(exportId)
      expect(state).toBe('failed')
    },
  )
})
