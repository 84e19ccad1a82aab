import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const root = path.resolve(__dirname, '../..')

interface BuilderConfig {
  linux: { target: string[] }
  mac: { target: string[] }
  win: { target: string[] }
  npmRebuild: boolean
  asarUnpack: string[]
  files: string[]
  electronFuses: Record<string, boolean>
}

function load(): BuilderConfig {
  const yaml = require('js-yaml') as { load(text: string): unknown }
  return yaml.load(
    fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'),
  ) as BuilderConfig
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>
    }
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (on: boolean) => unknown }
    await expect(validateConfiguration(load(), new DebugLogger(false))).resolves.toBeUndefined()
    const broken = { ...load(), linux: { target: ['floppy'], colour: 'red' } }
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration/,
    )
  })

  it('targets AppImage+deb, dmg and nsis, and rebuilds native modules for Electron', () => {
    const config = load()
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.npmRebuild).toBe(true)
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**')
    // ONNX Runtime's native library is loaded from disk by the embedding workers.
    expect(config.asarUnpack).toContain('node_modules/onnxruntime-node/**')
    expect(config.files).toContain('out/**')
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
    })
  })
})
