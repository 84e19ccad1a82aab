import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const root = path.resolve(__dirname, '../..')
const semver = require('semver') as {
  satisfies(version: string, range: string): boolean
  minVersion(range: string): { major: number; minor: number } | null
}

function manifest(dir: string): {
  engines?: { node?: string }
  devDependencies?: Record<string, string>
} {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as ReturnType<
    typeof manifest
  >
}

const own = manifest(root)
const engines = own.engines?.node ?? ''
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')

/** What the CLI, the engine and the tests run on: every one of them must accept our range. */
const RUNTIME_AND_TOOLS = [
  'better-sqlite3',
  'sharp',
  'commander',
  'vite',
  'electron-vite',
  'vitest',
  'jsdom',
  'playwright-core',
  'eslint',
]

/** Node.js releases x.y.0 from 18 to 30: enough to find any version one range takes and another refuses. */
const RELEASES = Array.from({ length: 13 * 41 }, (_, i) => `${18 + Math.floor(i / 41)}.${i % 41}.0`)

describe('the Node.js versions Kindred states', () => {
  it('package.json engines lies within what every runtime and test dependency accepts', () => {
    expect(engines).not.toBe('')
    for (const name of RUNTIME_AND_TOOLS) {
      const theirs = manifest(path.join(root, 'node_modules', name)).engines?.node
      if (!theirs) continue
      const refused = RELEASES.filter(
        (v) => semver.satisfies(v, engines) && !semver.satisfies(v, theirs),
      )
      expect({ name, refused }).toEqual({ name, refused: [] })
    }
  })

  it('the README states the engines range, and the Node.js version the Electron package needs', () => {
    expect(readme).toContain(engines)
    const electron = manifest(path.join(root, 'node_modules', 'electron'))
    const min = semver.minVersion(electron.engines?.node ?? '')
    expect(min).not.toBeNull()
    expect(readme).toContain(`Node.js ≥ ${min!.major}.${min!.minor}`)
    const major = /\d+/.exec(own.devDependencies?.electron ?? '')?.[0]
    expect(readme).toContain(`Electron ${major}`)
    expect(readme).not.toMatch(/Node\.js ≥ 20\.19 and/)
  })
})
