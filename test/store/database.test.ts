import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openLibrary, resolveLibraryDir, defaultAppDataDir } from '../../src/core/store/library'
import { migrations } from '../../src/core/store/migrations'
import { tempDir } from '../helpers/tmp'

describe('library store', () => {
  it('creates a library folder with WAL, foreign keys and the latest schema, and reopens it', () => {
    const dir = path.join(tempDir(), 'lib')
    const lib = openLibrary(dir)
    expect(lib.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(lib.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(lib.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version)
    lib.db.prepare(`INSERT INTO folders (path, added_at) VALUES ('/x', 1)`).run()
    lib.close()
    const again = openLibrary(dir)
    expect(again.db.prepare(`SELECT path FROM folders`).all()).toEqual([{ path: '/x' }])
    expect(fs.existsSync(again.thumbnailDir)).toBe(true)
    again.close()
  })

  it('refuses a library written by a newer version', () => {
    const dir = tempDir()
    const lib = openLibrary(dir)
    lib.db.pragma('user_version = 999')
    lib.close()
    expect(() => openLibrary(dir)).toThrow(/newer version of Kindred/)
  })

  it('numbers migrations 1, 2, 3… without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1))
  })

  it('resolves the library location: flag, then KINDRED_LIBRARY, then app data', () => {
    expect(resolveLibraryDir('/a', { KINDRED_LIBRARY: '/b' })).toBe('/a')
    expect(resolveLibraryDir(undefined, { KINDRED_LIBRARY: '/b' })).toBe('/b')
    expect(defaultAppDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/u')).toBe('/cfg/Kindred')
    expect(defaultAppDataDir('darwin', {}, '/Users/u')).toBe(
      '/Users/u/Library/Application Support/Kindred',
    )
  })
})
