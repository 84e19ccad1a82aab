/**
 * Host benchmark: the cost of reaching the engine. Imports 200 Caltech photos into a temporary
 * library, then measures command round trips in-process, over RPC to an engine child process
 * (as Electron's utility process and `kindred serve` run it), and over browser mode's HTTP API,
 * plus thumbnail requests per second over HTTP. Usage: npm run bench:hosts
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Engine } from '../src/core/engine/engine'
import { forkEngine } from '../src/core/engine/fork'
import type { EngineHandle } from '../src/core/engine/handle'
import { EngineSupervisor } from '../src/core/engine/supervisor'
import { startServer } from '../src/server/server'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const shared = path.resolve(process.env.KINDRED_SHARED ?? path.join(root, '..', 'shared'))
const dataset = path.join(shared, 'datasets', 'caltech20')
const PHOTOS = 200
const ROUNDS = 500

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-bench-hosts-'))
const photos = path.join(work, 'photos')
fs.mkdirSync(photos)
for (const label of fs.readdirSync(dataset).sort()) {
  for (const file of fs
    .readdirSync(path.join(dataset, label))
    .sort()
    .slice(0, PHOTOS / 20)) {
    fs.copyFileSync(path.join(dataset, label, file), path.join(photos, `${label}-${file}`))
  }
}

async function timed(label: string, rounds: number, body: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 20; i++) await body()
  const started = performance.now()
  for (let i = 0; i < rounds; i++) await body()
  const ms = (performance.now() - started) / rounds
  console.log(`${label.padEnd(44)} ${ms.toFixed(3)} ms/call  (${(1000 / ms).toFixed(0)}/s)`)
}

const page = (engine: EngineHandle) =>
  engine.invoke('clusters.members', { clusterId: null, offset: 0, limit: 200 })

function get(port: number, pathname: string, headers: Record<string, string>, agent: http.Agent) {
  return new Promise<number>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname, headers, agent }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      .on('error', reject)
  })
}

const libraryDir = path.join(work, 'library')
const engine = await Engine.open(libraryDir)
try {
  const done = new Promise<void>((resolve) =>
    engine.onEvent((e) => {
      if (e.type === 'progress' && e.progress.status === 'done') resolve()
    }),
  )
  await engine.invoke('library.addFolder', { path: photos })
  await done
  const { members } = await page(engine)
  console.log(
    `machine  ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
  )
  console.log(`library  ${members.length} photos; a call = clusters.members page of 200 (Unsorted)`)
  await timed('in-process Engine.invoke', ROUNDS, () => page(engine))
  await timed('in-process Engine.invoke (jobs.list)', ROUNDS, () => engine.invoke('jobs.list', {}))

  const server = await startServer({ engine, rendererDir: path.join(root, 'out', 'renderer') })
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 })
  const auth = { Authorization: `Bearer ${server.token}` }
  await timed(
    'HTTP POST /api/clusters.members',
    ROUNDS,
    () =>
      new Promise<void>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'POST',
            path: '/api/clusters.members',
            agent,
            headers: { ...auth, 'Content-Type': 'application/json' },
          },
          (res) => {
            res.resume()
            res.on('end', () => resolve())
          },
        )
        req.on('error', reject)
        req.end(JSON.stringify({ clusterId: null, offset: 0, limit: 200 }))
      }),
  )
  const ids = members.map((m) => m.photoId)
  let next = 0
  const started = performance.now()
  const total = 2000
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < total) {
        const id = ids[next++ % ids.length]!
        await get(server.port, `/photos/${id}/thumbnail`, auth, agent)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  console.log(
    `${'HTTP GET /photos/<id>/thumbnail, 8 parallel'.padEnd(44)} ${(total / seconds).toFixed(0)} requests/s`,
  )
  agent.destroy()
  await server.close()
} finally {
  await engine.close()
}

const child = new EngineSupervisor(() =>
  forkEngine(path.join(root, 'src/core/engine/process-entry.ts'), libraryDir, process.execArgv),
)
try {
  const started = performance.now()
  await child.started()
  console.log(
    `${'engine child process start (tsx)'.padEnd(44)} ${(performance.now() - started).toFixed(0)} ms`,
  )
  await timed('RPC to an engine child process', ROUNDS, () => page(child))
  await timed('RPC to an engine child process (jobs.list)', ROUNDS, () =>
    child.invoke('jobs.list', {}),
  )
} finally {
  await child.close()
  fs.rmSync(work, { recursive: true, force: true })
}
