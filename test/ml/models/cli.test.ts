import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { sharedPath } from '../../helpers/shared'
import { tempDir } from '../../helpers/tmp'

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/kindred.js')

function kindred(args: string[]) {
  const env = { ...process.env }
  delete env.KINDRED_MODELS_DIR
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('kindred models', () => {
  it('tells how to install, installs with verified checksums, then lists the model as installed', () => {
    const library = tempDir()
    const before = kindred(['models', 'list', '--library', library, '--json'])
    expect(JSON.parse(before.stdout)[0]).toMatchObject({
      id: 'mobilenet_v2_1.0_224',
      installed: false,
    })

    const bare = kindred(['models', 'install', '--library', library])
    expect(bare.code).toBe(1)
    expect(bare.stderr).toMatch(/kindred models install --from <folder\|url>/)

    const install = kindred([
      'models',
      'install',
      '--from',
      sharedPath('models'),
      '--library',
      library,
    ])
    expect(install.stderr).toBe('')
    expect(install.stdout).toMatch(
      /Installed mobilenet_v2_1.0_224: 106 files, .* all checksums verified/,
    )

    const after = kindred(['models', 'list', '--verify', '--library', library, '--json'])
    expect(JSON.parse(after.stdout)[0]).toMatchObject({
      installed: true,
      source: 'library',
      verified: true,
    })
  })
})
