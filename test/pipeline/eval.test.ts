import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { classFolders, evaluateFolder, labelsOf } from '../../src/core/pipeline'
import { openLibrary } from '../../src/core/store/library'
import { tempDir } from '../helpers/tmp'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

describe('eval input', () => {
  it('takes the sub-folders as classes and refuses a folder without at least two', async () => {
    const dir = tempDir()
    fs.mkdirSync(path.join(dir, 'cats'))
    fs.writeFileSync(path.join(dir, 'loose.jpg'), '')
    expect(() => classFolders(dir)).toThrow(
      /needs one sub-folder per class \(at least two\) to evaluate against; it has 1/,
    )
    await expect(evaluateFolder(dir)).rejects.toThrow(/at least two/)
    await expect(evaluateFolder(path.join(dir, 'nope'))).rejects.toThrow(/is not a folder/)
    fs.mkdirSync(path.join(dir, 'boats'))
    fs.mkdirSync(path.join(dir, '.hidden'))
    expect(classFolders(dir)).toEqual(['boats', 'cats'])
  })

  it('labels each photo by its first folder under the root, and -1 outside the classes', () => {
    const lib = openLibrary(tempDir())
    try {
      lib.db.prepare(`INSERT INTO folders (id, path, added_at) VALUES (1, '/set', 0)`).run()
      const add = lib.db.prepare(
        `INSERT INTO photos (id, folder_id, path, size, mtime_ms, status, imported_at, updated_at) VALUES (?, 1, ?, 1, 1, 'ok', 0, 0)`,
      )
      const files = ['/set/cats/a.jpg', '/set/boats/deep/b.jpg', '/set/c.jpg', '/set/other/d.jpg']
      files.forEach((file, i) => add.run(i + 1, file))
      expect(labelsOf(lib, '/set', ['boats', 'cats'], [1, 2, 3, 4])).toEqual([1, 0, -1, -1])
    } finally {
      lib.close()
    }
  })

  it('the CLI reports a bad folder in words, as JSON with --json, and exits non-zero', async () => {
    const missing = path.join(tempDir(), 'missing')
    const result = await promisify(execFile)(process.execPath, [
      path.join(root, 'bin', 'kindred.js'),
      'eval',
      missing,
      '--json',
    ]).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    )
    expect(result?.code).toBe(1)
    expect(JSON.parse(result!.stdout)).toEqual({ error: `${missing} is not a folder.` })
  })
})
