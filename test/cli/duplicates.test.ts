/** `kindred duplicates`: the near-duplicate sets of a real library, as text and as JSON. */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openLibrary } from '../../src/core/store/library'
import { tempDir } from '../helpers/tmp'
import {
  duplicatePhotos,
  embedAndLink,
  oneGroupRun,
  removeSuiteDirs,
  suiteDir,
} from '../duplicates/fixture'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function kindred(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/kindred.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, KINDRED_LIBRARY: undefined },
    timeout: 120_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('kindred duplicates', { timeout: 600_000 }, () => {
  let library: string
  let photos: string

  beforeAll(async () => {
    library = suiteDir('kindred-cli-dups-')
    photos = await duplicatePhotos()
    const lib = openLibrary(library)
    try {
      await embedAndLink(lib, photos)
      oneGroupRun(lib)
    } finally {
      lib.close()
    }
  }, 600_000)
  afterAll(removeSuiteDirs)

  it('lists each set with full paths and the suggested keeper, as one JSON document', () => {
    const { code, stdout, stderr } = kindred(['duplicates', '--library', library, '--json'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const out = JSON.parse(stdout)
    expect(out).toMatchObject({ ready: true, threshold: out.defaultThreshold, hidden: [] })
    const sets = out.sets.map((s: { photos: { path: string }[] }) =>
      s.photos.map((p) => path.basename(p.path)).sort(),
    )
    expect(sets).toEqual([
      ['butterfly-1-cropped.jpg', 'butterfly-1-resaved.jpg', 'butterfly-1.jpg'],
      ['butterfly-2-brighter.jpg', 'butterfly-2.jpg'],
    ])
    for (const s of out.sets) {
      expect(s.photos[0].photoId).toBe(s.keeper)
      for (const p of s.photos) expect(path.dirname(p.path)).toBe(photos)
    }
  })

  it('takes a threshold, and prints text for people', () => {
    const strict = kindred(['duplicates', '--library', library, '--threshold', '0.999'])
    expect(strict.code).toBe(0)
    expect(strict.stdout).toMatch(/similarity ≥ 0\.999/)
    const loose = kindred(['duplicates', '--library', library, '--threshold', '0.6'])
    expect(loose.code).toBe(0)
    expect(loose.stdout).toMatch(/Set 1, linked at 0\.\d{3}:\n {2}keep {2}\//)
    expect(loose.stdout).toContain(path.join(photos, 'butterfly-1.jpg'))
  })

  it('says what is wrong with a bad threshold', () => {
    const low = kindred(['duplicates', '--library', library, '--threshold', '0.1', '--json'])
    expect(low.code).not.toBe(0)
    expect(JSON.parse(low.stdout).error).toMatch(/at least 0.5/)
    const word = kindred(['duplicates', '--library', library, '--threshold', 'high'])
    expect(word.code).not.toBe(0)
    expect(word.stderr).toMatch(/between 0.5 and 1/)
  })

  it('on a library never organized, says to organize first', () => {
    const fresh = tempDir('kindred-cli-new-')
    openLibrary(fresh).close()
    const { code, stdout } = kindred(['duplicates', '--library', fresh])
    expect(code).toBe(0)
    expect(stdout).toMatch(/organize/)
  })
})
