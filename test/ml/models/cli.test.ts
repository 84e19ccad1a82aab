import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { sharedPath } from '../../helpers/shared'
import { tempDir } from '../../helpers/tmp'

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/kindred.js')

/** The CLI as a new user runs it: no KINDRED_MODELS_DIR, and an app-data folder of their own. */
function kindred(args: string[], appData: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: appData }
  delete env.KINDRED_MODELS_DIR
  delete env.KINDRED_LIBRARY
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env,
    timeout: 300_000,
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A folder of `count` caltech20 photos of each class (symlinks). */
function photoFolder(classes: string[], count: number): string {
  const dir = tempDir()
  for (const cls of classes) {
    const source = sharedPath('datasets', 'caltech20', cls)
    for (const file of fs.readdirSync(source).sort().slice(0, count))
      fs.symlinkSync(path.join(source, file), path.join(dir, `${cls}-${file}`))
  }
  return dir
}

function count(library: string, table: string): number {
  const db = new Database(path.join(library, 'kindred.db'), { readonly: true })
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('kindred models', () => {
  it('installs for the user with verified checksums, and every library then finds the model', () => {
    const appData = tempDir()
    const library = tempDir()
    const before = kindred(['models', 'list', '--library', library, '--json'], appData)
    expect(JSON.parse(before.stdout)[0]).toMatchObject({
      id: 'mobilenet_v2_1.0_224',
      installed: false,
    })

    const bare = kindred(['models', 'install'], appData)
    expect(bare.code).toBe(1)
    expect(bare.stderr).toMatch(/kindred models install --from <folder\|url>/)
    expect(bare.stderr).not.toMatch(/shared/)

    const install = kindred(['models', 'install', '--from', sharedPath('models')], appData)
    expect(install.stderr).toBe('')
    expect(install.stdout).toMatch(
      /Installed mobilenet_v2_1.0_224: 107 files, .* all checksums verified/,
    )
    const userModels = path.join(appData, 'Kindred', 'models')
    expect(install.stdout).toContain(userModels)

    for (const lib of [library, tempDir()]) {
      const after = kindred(['models', 'list', '--verify', '--library', lib, '--json'], appData)
      expect(JSON.parse(after.stdout)[0]).toMatchObject({
        installed: true,
        source: 'user',
        dir: path.join(userModels, 'mobilenet_v2_1.0_224'),
        verified: true,
      })
    }
  })

  it('organize with a new --library uses the model installed for the user', () => {
    const appData = tempDir()
    expect(kindred(['models', 'install', '--from', sharedPath('models')], appData).code).toBe(0)
    const library = path.join(tempDir(), 'new-library')
    const photos = photoFolder(['sunflower', 'Motorbikes'], 8)
    const run = kindred(
      ['organize', photos, '--library', library, '--clusters', '2', '--json'],
      appData,
    )
    expect(run.code, run.stderr).toBe(0)
    const out = JSON.parse(run.stdout) as { groups: { size: number }[]; unsorted: number }
    expect(out.groups.reduce((n, g) => n + g.size, 0) + out.unsorted).toBe(16)
  })

  it('organize without the model fails before importing anything, saying how to install it', () => {
    const appData = tempDir()
    const library = path.join(tempDir(), 'new-library')
    const photos = photoFolder(['sunflower'], 4)
    const run = kindred(['organize', photos, '--library', library], appData)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/The model "mobilenet_v2_1\.0_224" is not installed/)
    expect(run.stderr).toMatch(/kindred models install --from <folder>/)
    expect(run.stderr).not.toMatch(/shared/)
    expect(count(library, 'photos')).toBe(0)
    expect(count(library, 'jobs')).toBe(0)
  })
})
