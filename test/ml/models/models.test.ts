import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ChecksumError,
  DEFAULT_MODEL,
  downloadFile,
  installModel,
  locateModel,
  ModelMissingError,
  requireModel,
  verifyModelDir,
} from '../../../src/core/ml/models'
import { sharedPath } from '../../helpers/shared'
import { tempDir } from '../../helpers/tmp'
import { serveFolder } from './server'

const sharedModels = sharedPath('models')
const entry = requireModel(DEFAULT_MODEL)
const BIG_FILE = 'head.weight.npy'

function listing(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []
}

describe('model registry', () => {
  it('has the right sha256 for every shared model file, and lists them all', async () => {
    const dir = path.join(sharedModels, DEFAULT_MODEL)
    expect(await verifyModelDir(dir, entry)).toEqual([])
    expect(entry.files.map((f) => f.name).sort()).toEqual(listing(dir))
    const size = entry.files.reduce((s, f) => s + fs.statSync(path.join(dir, f.name)).size, 0)
    expect(entry.bytes).toBe(size)
  })

  it('installs the ONNX file with the weights and refuses a damaged one', async () => {
    const source = path.join(tempDir(), DEFAULT_MODEL)
    fs.cpSync(path.join(sharedModels, DEFAULT_MODEL), source, { recursive: true })
    const onnx = path.join(source, `${DEFAULT_MODEL}.onnx`)
    fs.chmodSync(onnx, 0o644)
    const bytes = fs.readFileSync(onnx)
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] as number) ^ 1
    fs.writeFileSync(onnx, bytes)
    const modelsDir = tempDir()
    await expect(installModel(DEFAULT_MODEL, { from: source, modelsDir })).rejects.toThrow(
      new RegExp(`${DEFAULT_MODEL}.onnx is damaged or not the expected file`),
    )
    expect(fs.existsSync(path.join(modelsDir, DEFAULT_MODEL))).toBe(false)
    await installModel(DEFAULT_MODEL, { from: sharedModels, modelsDir })
    expect(fs.existsSync(path.join(modelsDir, DEFAULT_MODEL, `${DEFAULT_MODEL}.onnx`))).toBe(true)
  })

  it('rejects an unknown model id with the known ones', () => {
    expect(() => requireModel('resnet-9000')).toThrow(
      /Unknown model "resnet-9000"; known models: mobilenet_v2/,
    )
  })
})

describe('locateModel', () => {
  it("looks in KINDRED_MODELS_DIR, then the library, then the user's folder, then the app", async () => {
    const library = tempDir()
    const user = tempDir()
    const app = tempDir()
    await installModel(DEFAULT_MODEL, { from: sharedModels, modelsDir: library })
    await installModel(DEFAULT_MODEL, { from: sharedModels, modelsDir: user })
    await installModel(DEFAULT_MODEL, { from: sharedModels, modelsDir: app })
    const opts = { libraryModelsDir: library, userModelsDir: user, appModelsDir: app }
    expect(
      locateModel(DEFAULT_MODEL, { ...opts, env: { KINDRED_MODELS_DIR: sharedModels } }),
    ).toMatchObject({
      source: 'env',
      dir: path.join(sharedModels, DEFAULT_MODEL),
    })
    expect(locateModel(DEFAULT_MODEL, { ...opts, env: {} }).source).toBe('library')
    const elsewhere = { ...opts, libraryModelsDir: tempDir(), env: {} }
    expect(locateModel(DEFAULT_MODEL, elsewhere)).toMatchObject({
      source: 'user',
      dir: path.join(user, DEFAULT_MODEL),
    })
    expect(locateModel(DEFAULT_MODEL, { appModelsDir: app, env: {} }).source).toBe('app')
  })

  it('says exactly how to install a missing model', () => {
    const empty = tempDir()
    let error: unknown
    try {
      locateModel(DEFAULT_MODEL, { libraryModelsDir: empty, appModelsDir: empty, env: {} })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ModelMissingError)
    expect((error as Error).message).toMatch(/not installed/)
    expect((error as Error).message).toMatch(/kindred models install --from <folder>/)
    expect((error as Error).message).toMatch(/KINDRED_MODELS_DIR/)
    // Paths of this repository's layout mean nothing to a user.
    expect((error as Error).message).not.toMatch(/shared/)
  })
})

describe('installModel from a folder', () => {
  it('copies and verifies every file; accepts the parent or the model folder itself', async () => {
    for (const from of [sharedModels, path.join(sharedModels, DEFAULT_MODEL)]) {
      const modelsDir = tempDir()
      const result = await installModel(DEFAULT_MODEL, { from, modelsDir })
      expect(result).toMatchObject({ files: entry.files.length, bytes: entry.bytes })
      expect(await verifyModelDir(result.dir, entry)).toEqual([])
      expect(listing(modelsDir)).toEqual([DEFAULT_MODEL]) // no staging left behind
    }
  })

  it('refuses a damaged file and installs nothing', async () => {
    const source = tempDir()
    fs.cpSync(path.join(sharedModels, DEFAULT_MODEL), source, { recursive: true })
    const damaged = path.join(source, BIG_FILE)
    const bytes = fs.readFileSync(damaged)
    bytes[200] = (bytes[200] as number) ^ 1
    fs.writeFileSync(damaged, bytes)
    const modelsDir = tempDir()
    await expect(installModel(DEFAULT_MODEL, { from: source, modelsDir })).rejects.toThrow(
      new RegExp(`${BIG_FILE} is damaged or not the expected file`),
    )
    expect(fs.existsSync(path.join(modelsDir, DEFAULT_MODEL))).toBe(false)
  })
})

describe('installModel from a URL (local HTTP server)', () => {
  it('downloads, verifies and reports progress up to the total', async () => {
    const server = await serveFolder(sharedModels)
    try {
      const modelsDir = tempDir()
      const seen: number[] = []
      await installModel(DEFAULT_MODEL, {
        from: server.url,
        modelsDir,
        onProgress: (b) => seen.push(b),
      })
      expect(await verifyModelDir(path.join(modelsDir, DEFAULT_MODEL), entry)).toEqual([])
      expect(seen.at(-1)).toBe(entry.bytes)
      expect(seen.every((b, i) => i === 0 || b >= (seen[i - 1] as number))).toBe(true)
    } finally {
      await server.close()
    }
  })

  it('resumes an interrupted transfer with a Range request', async () => {
    const server = await serveFolder(sharedModels, { cutOnce: new Set([BIG_FILE]) })
    try {
      const modelsDir = tempDir()
      await installModel(DEFAULT_MODEL, { from: `${server.url}${DEFAULT_MODEL}/`, modelsDir })
      const asks = server.requests.filter((r) => r.file === BIG_FILE)
      expect(asks).toHaveLength(2)
      expect(asks[0]?.range).toBeUndefined()
      const resumedAt = Number(/bytes=(\d+)-/.exec(asks[1]?.range ?? '')?.[1])
      expect(resumedAt).toBeGreaterThan(0)
      expect(await verifyModelDir(path.join(modelsDir, DEFAULT_MODEL), entry)).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('rejects a file whose checksum does not match and installs nothing', async () => {
    const server = await serveFolder(sharedModels, { corrupt: new Set([BIG_FILE]) })
    try {
      const modelsDir = tempDir()
      const run = installModel(DEFAULT_MODEL, { from: server.url, modelsDir })
      await expect(run).rejects.toBeInstanceOf(ChecksumError)
      await expect(run).rejects.toThrow(/damaged or not the expected file .* it was discarded/)
      expect(fs.existsSync(path.join(modelsDir, DEFAULT_MODEL))).toBe(false)
      const staging = path.join(modelsDir, `.${DEFAULT_MODEL}.staging`)
      expect(listing(staging).filter((f) => f.startsWith(BIG_FILE))).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('keeps verified files after a failure, so the next run fetches only the rest', async () => {
    const modelsDir = tempDir()
    const broken = await serveFolder(sharedModels, { missing: new Set([BIG_FILE]) })
    try {
      await expect(installModel(DEFAULT_MODEL, { from: broken.url, modelsDir })).rejects.toThrow(
        new RegExp(`${BIG_FILE} answered HTTP 404`),
      )
      expect(broken.requests.filter((r) => r.file === BIG_FILE)).toHaveLength(1) // no retry on 404
    } finally {
      await broken.close()
    }
    const server = await serveFolder(sharedModels)
    try {
      await installModel(DEFAULT_MODEL, { from: server.url, modelsDir })
      const fetched = new Set(server.requests.map((r) => r.file))
      expect(fetched.has(BIG_FILE)).toBe(true)
      expect(fetched.size).toBeLessThan(entry.files.length) // earlier files were not fetched again
    } finally {
      await server.close()
    }
  })

  it('stops at once, without retrying, when aborted with a reason (a cancelled job)', async () => {
    const server = await serveFolder(sharedModels)
    try {
      const file = entry.files[0]!
      const controller = new AbortController()
      const reason = new Error('Job 7 was cancelled.')
      const download = downloadFile(
        `${server.url}${DEFAULT_MODEL}/${file.name}`,
        path.join(tempDir(), file.name),
        // A retry would wait a minute, far past this test's 10 s timeout.
        { sha256: file.sha256, retryDelayMs: 60_000, signal: controller.signal },
      )
      controller.abort(reason)
      await expect(download).rejects.toBe(reason)
    } finally {
      await server.close()
    }
  }, 10_000)

  it('explains a network error clearly', async () => {
    const server = await serveFolder(sharedModels)
    const url = server.url
    await server.close() // nothing listens there any more
    await expect(installModel(DEFAULT_MODEL, { from: url, modelsDir: tempDir() })).rejects.toThrow(
      /Could not download http:\/\/127\.0\.0\.1:\d+\/.*ECONNREFUSED.*run the same command again/s,
    )
  })
})
