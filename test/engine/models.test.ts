import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Engine } from '../../src/core/engine/engine'
import { DEFAULT_MODEL, requireModel } from '../../src/core/ml/models'
import { defaultUserModelsDir } from '../../src/core/store/library'
import type { EngineEvent } from '../../src/shared/contract'
import type { Progress } from '../../src/shared/jobs'
import { sharedPath } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'
import { jobEnd, commandFailure } from './fixtures'

const engines: Engine[] = []
let previous: string | undefined

let previousAppData: string | undefined

// An empty KINDRED_MODELS_DIR and user folder: the model is only found once the engine installs it.
beforeEach(() => {
  previous = process.env.KINDRED_MODELS_DIR
  previousAppData = process.env.XDG_CONFIG_HOME
  process.env.KINDRED_MODELS_DIR = tempDir('kindred-no-models-')
  process.env.XDG_CONFIG_HOME = tempDir('kindred-appdata-')
})
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
  if (previous === undefined) delete process.env.KINDRED_MODELS_DIR
  else process.env.KINDRED_MODELS_DIR = previous
  process.env.XDG_CONFIG_HOME = previousAppData
})

async function openEngine(): Promise<Engine> {
  const engine = await Engine.open(tempDir('kindred-lib-'))
  engines.push(engine)
  return engine
}

async function install(engine: Engine, from: string): Promise<Progress[]> {
  const job: { id?: number } = {}
  const ended = jobEnd(engine, () => job.id)
  job.id = (await engine.invoke('models.install', { from })).jobId
  const events = await ended
  return events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []))
}

/** Models are installed for the user, where every library finds them. */
function installedDir(): string {
  return path.join(defaultUserModelsDir(), DEFAULT_MODEL)
}

/** Serves ../shared/models over http, waiting `delayMs` before each file; counts the requests. */
async function modelServer(delayMs: number) {
  const served = { requests: 0, delayMs }
  const server = http.createServer((request, response) => {
    served.requests++
    const name = path.basename(decodeURIComponent(request.url ?? ''))
    const file = path.join(sharedPath('models', DEFAULT_MODEL), name)
    setTimeout(() => {
      if (!fs.existsSync(file)) return void response.writeHead(404).end()
      response.writeHead(200, { 'content-length': fs.statSync(file).size })
      fs.createReadStream(file).pipe(response)
    }, served.delayMs)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const close = () => {
    server.closeAllConnections() // fetch keeps connections alive, which close() would wait for
    return new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return { url: `http://127.0.0.1:${port}/models/`, served, close }
}

describe('Engine models.install', () => {
  it('installs the model from a folder with byte progress, then engine.info reports it', async () => {
    const engine = await openEngine()
    expect((await engine.invoke('engine.info', {})).modelInstalled).toBe(false)
    const changes: EngineEvent['type'][] = []
    engine.onEvent((e) => changes.push(e.type))

    const progress = await install(engine, sharedPath('models'))

    const total = requireModel(DEFAULT_MODEL).bytes
    expect(progress.at(-1), JSON.stringify(progress.at(-1))).toMatchObject({
      status: 'done',
      kind: 'install-model',
    })
    const counts = progress.flatMap((p) => (p.status === 'progress' ? [p] : []))
    expect(counts.length).toBeGreaterThan(0)
    expect(counts.every((p) => p.stage === 'install-model' && p.total === total)).toBe(true)
    expect(counts.at(-1)).toMatchObject({ done: total, etaSeconds: 0 })
    expect(counts.at(-1)!.rate).toBeGreaterThan(0)
    await expect.poll(() => changes.includes('models.changed')).toBe(true)

    expect((await engine.invoke('engine.info', {})).modelInstalled).toBe(true)
    // Installed once for the user: another library finds it too.
    const other = await openEngine()
    expect((await other.invoke('engine.info', {})).modelInstalled).toBe(true)
    const files = fs.readdirSync(installedDir())
    expect(files).toHaveLength(requireModel(DEFAULT_MODEL).files.length)
    const [job] = await engine.invoke('jobs.list', {})
    expect(job).toMatchObject({ kind: 'install-model', state: 'done', done: total, total })
    // The done event says what was installed, for a host to print.
    expect(progress.at(-1)).toMatchObject({
      summary: { installed: { id: DEFAULT_MODEL, dir: installedDir(), files: files.length } },
    })
  })

  it('models.list says where each model is installed and, asked to, checks its files', async () => {
    const engine = await openEngine()
    const before = await engine.invoke('models.list', {})
    expect(before.find((m) => m.id === DEFAULT_MODEL)).toMatchObject({
      installed: false,
      dir: null,
    })
    await install(engine, sharedPath('models'))
    const after = await engine.invoke('models.list', { verify: true })
    expect(after.find((m) => m.id === DEFAULT_MODEL)).toMatchObject({
      installed: true,
      source: 'user',
      dir: installedDir(),
      verified: true,
      problems: [],
    })
    const unknown = await commandFailure(
      engine.invoke('models.install', { from: sharedPath('models'), model: 'no-such-model' }),
    )
    expect(unknown).toMatchObject({ code: 'invalid-arguments', message: /Unknown model/ })
  })

  it('fails the job with a clear message and installs nothing from a missing folder', async () => {
    const engine = await openEngine()
    const missing = path.join(tempDir('kindred-empty-'), 'no-such-folder')
    const progress = await install(engine, missing)
    expect(progress.at(-1)).toEqual(
      expect.objectContaining({
        status: 'failed',
        error: `Could not install the model: ${missing} does not exist`,
      }),
    )
    expect(fs.existsSync(installedDir())).toBe(false)
    expect((await engine.invoke('engine.info', {})).modelInstalled).toBe(false)
    const [job] = await engine.invoke('jobs.list', {})
    expect(job).toMatchObject({ kind: 'install-model', state: 'failed' })
    expect(job!.error).toMatch(/does not exist/)
  })

  it('refuses a damaged file (wrong sha256) and installs nothing', async () => {
    const engine = await openEngine()
    const source = path.join(tempDir('kindred-damaged-'), DEFAULT_MODEL)
    fs.cpSync(sharedPath('models', DEFAULT_MODEL), source, { recursive: true })
    const victim = requireModel(DEFAULT_MODEL).files.at(-1)!.name
    fs.appendFileSync(path.join(source, victim), Buffer.from([0]))

    const progress = await install(engine, path.dirname(source))
    const end = progress.at(-1)
    expect(end?.status).toBe('failed')
    expect(end?.status === 'failed' && end.error).toMatch(
      new RegExp(`^Could not install the model: .*${victim} is damaged or not the expected file`),
    )
    expect(fs.existsSync(installedDir())).toBe(false)
    expect((await engine.invoke('engine.info', {})).modelInstalled).toBe(false)
  })

  it('downloads from a web address, can be cancelled, and resumes where it stopped', async () => {
    const server = await modelServer(30)
    try {
      const engine = await openEngine()
      const job: { id?: number } = {}
      const ended = jobEnd(engine, () => job.id)
      // Cancel once a few files are in: all 106 would take over 3 s at 30 ms each.
      const stopCancelling = engine.onEvent((e) => {
        if (e.type !== 'progress' || e.progress.status !== 'progress') return
        if (server.served.requests > 5)
          void engine.invoke('jobs.cancel', { jobId: e.progress.jobId })
      })
      job.id = (await engine.invoke('models.install', { from: server.url })).jobId
      const events = await ended
      stopCancelling()
      const last = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : [])).at(-1)
      expect(last).toMatchObject({ status: 'cancelled', kind: 'install-model' })
      expect(fs.existsSync(installedDir())).toBe(false)
      expect((await engine.invoke('engine.info', {})).modelInstalled).toBe(false)
      const fetchedBefore = server.served.requests
      expect(fetchedBefore).toBeLessThan(requireModel(DEFAULT_MODEL).files.length)

      server.served.delayMs = 0
      server.served.requests = 0
      const progress = await install(engine, server.url)
      expect(progress.at(-1)).toMatchObject({ status: 'done', kind: 'install-model' })
      // Files verified before the cancel were kept, not fetched again.
      expect(server.served.requests).toBeLessThan(requireModel(DEFAULT_MODEL).files.length)
      expect((await engine.invoke('engine.info', {})).modelInstalled).toBe(true)
    } finally {
      await server.close()
    }
  })

  it('rejects malformed sources before starting a job', async () => {
    const engine = await openEngine()
    for (const args of [
      {},
      { from: '' },
      { from: '   ' },
      { from: 42 },
      { from: 'x'.repeat(5000) },
    ]) {
      const error = await commandFailure(engine.invoke('models.install', args as never))
      expect(error.code, JSON.stringify(args)).toBe('invalid-arguments')
    }
    const relative = await commandFailure(engine.invoke('models.install', { from: 'models' }))
    expect(relative.message).toBe(`Give the folder's full path or a web address (not "models").`)
    const ftp = await commandFailure(
      engine.invoke('models.install', { from: 'ftp://example.org/m/' }),
    )
    expect(ftp.message).toMatch(/Only http:\/\/ and https:\/\/ addresses/)
    expect(await engine.invoke('jobs.list', {})).toEqual([])
  })
})
