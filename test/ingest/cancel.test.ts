import { describe, expect, it } from 'vitest'
import { sharedPath } from '../helpers/shared'
import { freshLibrary, importInto } from './helpers'

describe('cancelling an import', () => {
  it('stops early, keeps what was imported, marks nothing missing, and resumes', async () => {
    const lib = freshLibrary()
    const folder = sharedPath('datasets', 'caltech20', 'cup')
    const controller = new AbortController()
    const cancelled = importInto(lib, [folder], {
      signal: controller.signal,
      onProgress: (stage, done) => {
        if (stage === 'import' && done === 10) controller.abort(new Error('stop'))
      },
    })
    await expect(cancelled).rejects.toThrow('stop')
    const saved = lib.db
      .prepare(`SELECT COUNT(*) FROM photos WHERE status = 'ok'`)
      .pluck()
      .get() as number
    expect(saved).toBeGreaterThanOrEqual(10)
    expect(saved).toBeLessThan(20)
    expect(lib.db.prepare(`SELECT COUNT(*) FROM photos WHERE status != 'ok'`).pluck().get()).toBe(0)

    const resumed = await importInto(lib, [folder])
    expect(resumed.unchanged).toBe(saved)
    expect(resumed.imported + saved).toBe(57)
  })
})
