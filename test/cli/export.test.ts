import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { importFolders } from '../../src/core/ingest'
import { openLibrary } from '../../src/core/store/library'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'
import { listFiles, ROOT } from '../e2e/harness'

function kindred(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/kindred.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, KINDRED_LIBRARY: undefined },
    timeout: 120_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Two camera photos from different years, imported for real, in one group named "Cameras". */
async function library(): Promise<{ dir: string; root: string }> {
  const root = tempDir('kindred-cli-export-')
  const photos = path.join(root, 'photos')
  fs.mkdirSync(photos)
  for (const f of ['Canon_40D.jpg', 'Sony_HDR-HC3.jpg'])
    fs.copyFileSync(sharedPath('fixtures', 'exif-samples', f), path.join(photos, f))
  const dir = path.join(root, 'library')
  const lib = openLibrary(dir)
  try {
    await importFolders(lib, [photos])
    const run = lib.db
      .prepare(
        `INSERT INTO runs (model, state, created_at, finished_at) VALUES ('m', 'done', 0, 0)`,
      )
      .run().lastInsertRowid
    const group = lib.db
      .prepare(`INSERT INTO clusters (run_id, idx, name) VALUES (?, 0, 'Cameras')`)
      .run(run).lastInsertRowid
    lib.db
      .prepare(
        `INSERT INTO assignments (photo_id, run_id, cluster_id, probability, confidence)
         SELECT id, ?, ?, 0.9, 0.9 FROM photos`,
      )
      .run(run, group)
  } finally {
    lib.close()
  }
  return { dir, root }
}

describe('kindred export', () => {
  it('names folders by --folder-pattern, from each photo’s EXIF date', async () => {
    const { dir, root } = await library()
    const out = path.join(root, 'out')
    const args = ['export', out, '--library', dir, '--folder-pattern', '{year} {group}', '--json']
    const dry = kindred([...args, '--dry-run'])
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.stdout).folders.map((f: { name: string }) => f.name)).toEqual([
      '2007 Cameras',
      '2008 Cameras',
    ])
    expect(fs.existsSync(out)).toBe(false)
    const run = kindred(args)
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ written: 2, files: 2 })
    expect(listFiles(out)).toEqual([
      path.join('2007 Cameras', 'Sony_HDR-HC3.jpg'),
      path.join('2008 Cameras', 'Canon_40D.jpg'),
    ])
  })

  it('refuses a bad pattern with the reason, writing nothing', async () => {
    const { dir, root } = await library()
    const out = path.join(root, 'out')
    const bad = kindred(['export', out, '--library', dir, '--folder-pattern', '{year}/{group}'])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/cannot contain \/ or \\/)
    expect(fs.existsSync(out)).toBe(false)
  })
})
