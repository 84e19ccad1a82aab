import path from 'node:path'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../src/shared/contract'
import { Engine } from '../../src/core/engine/engine'
import { CommandFailure } from '../../src/core/engine/errors'
import { forkEngine } from '../../src/core/engine/fork'
import { RpcClient, serveRpc, type RpcPort } from '../../src/core/engine/rpc'
import { EngineSupervisor } from '../../src/core/engine/supervisor'
import { openLibrary } from '../../src/core/store/library'
import { tempDir } from '../helpers/tmp'

const ENTRY = path.resolve(__dirname, '../../src/core/engine/process-entry.ts')
const TSX = ['--import', 'tsx']

function portOf(port: MessagePort): RpcPort {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage(listener) {
      port.on('message', listener)
      return () => port.off('message', listener)
    },
  }
}

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function rejectionOf(promise: Promise<unknown>): Promise<CommandFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CommandFailure)
  return error as CommandFailure
}

describe('RPC over a message channel', () => {
  it('round-trips commands, errors and events to a real engine', async () => {
    const engine = await Engine.open(tempDir())
    const { port1, port2 } = new MessageChannel()
    const stop = serveRpc(portOf(port1), engine)
    const client = new RpcClient(portOf(port2))
    cleanups.push(async () => {
      stop()
      await client.close()
      port1.close()
      await engine.close()
    })
    port1.postMessage({ kind: 'ready' })
    await client.ready

    expect(await client.invoke('jobs.list', {})).toEqual([])

    const invalid = await rejectionOf(client.invoke('jobs.cancel', { jobId: 'x' as never }))
    expect(invalid.code).toBe('invalid-arguments')
    expect(invalid.message).toMatch(/jobId/)

    const missing = await rejectionOf(client.invoke('jobs.cancel', { jobId: 99 }))
    expect(missing).toMatchObject({ code: 'not-found', message: 'There is no job 99.' })

    const unknown = await rejectionOf(client.photoFile(12345, 'thumbnail'))
    expect(unknown.code).toBe('not-found')
  })

  it('drops malformed messages and answers malformed requests with an error', async () => {
    const engine = await Engine.open(tempDir())
    const { port1, port2 } = new MessageChannel()
    const stop = serveRpc(portOf(port1), engine)
    cleanups.push(async () => {
      stop()
      port1.close()
      port2.close()
      await engine.close()
    })
    const replies: unknown[] = []
    port2.on('message', (message) => replies.push(message))
    port2.postMessage({ kind: 'request', id: 1, method: 'rm -rf', args: {} })
    port2.postMessage({ nonsense: true })
    port2.postMessage({
      kind: 'request',
      id: 2,
      method: 'photoFile',
      args: { photoId: '../../etc/passwd', kind: 'full' },
    })
    port2.postMessage({
      kind: 'request',
      id: 3,
      method: 'invoke',
      args: { command: 'jobs.list', args: {} },
    })
    await expect.poll(() => replies.length).toBe(2)
    expect(replies[0]).toMatchObject({ id: 2, ok: false, error: { code: 'invalid-arguments' } })
    expect(replies[1]).toEqual({ kind: 'response', id: 3, ok: true, result: [] })
  })
})

describe('engine in a child process under a supervisor', () => {
  it('serves commands, and after a crash reports it and restarts', async () => {
    const libraryDir = tempDir()
    const children: ReturnType<typeof forkEngine>[] = []
    const supervisor = new EngineSupervisor(
      () => {
        const child = forkEngine(ENTRY, libraryDir, TSX)
        children.push(child)
        return child
      },
      { restartDelayMs: 10 },
    )
    cleanups.push(() => supervisor.close())
    const events: EngineEvent[] = []
    supervisor.onEvent((event) => events.push(event))
    await supervisor.started()
    expect(await supervisor.invoke('jobs.list', {})).toEqual([])

    children[0]!.kill()
    await expect
      .poll(() => events.map((e) => e.type), { timeout: 30_000 })
      .toEqual(['engine.crashed', 'engine.restarted'])
    expect(events[0]).toEqual({ type: 'engine.crashed', reason: 'killed by SIGKILL' })
    expect(children).toHaveLength(2)
    expect(await supervisor.invoke('jobs.list', {})).toEqual([])
  })

  it('reports a library that cannot be opened, without restarting in a loop', async () => {
    const file = path.join(tempDir(), 'not-a-folder')
    await import('node:fs').then((fs) => fs.writeFileSync(file, 'x'))
    let spawned = 0
    const supervisor = new EngineSupervisor(() => {
      spawned++
      return forkEngine(ENTRY, file, TSX)
    })
    cleanups.push(() => supervisor.close())
    const failure = await rejectionOf(supervisor.started())
    expect(failure.message).toMatch(/is a file, not a folder/)
    const again = await rejectionOf(supervisor.invoke('jobs.list', {}))
    expect(again.message).toMatch(/is a file, not a folder/)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(spawned).toBe(1)
  })
})

describe('supervisor restart policy', () => {
  it('restarts an engine that crashes while starting, then gives up after the limit', async () => {
    const libraryDir = tempDir()
    let spawned = 0
    // The first two processes die before they are ready; the third is a real engine.
    const supervisor = new EngineSupervisor(
      () => {
        spawned++
        const child = forkEngine(ENTRY, libraryDir, TSX)
        if (spawned <= 2) child.kill()
        return child
      },
      { restartDelayMs: 10 },
    )
    cleanups.push(() => supervisor.close())
    const events: EngineEvent[] = []
    supervisor.onEvent((event) => events.push(event))
    await expect
      .poll(() => events.map((e) => e.type), { timeout: 30_000 })
      .toEqual(['engine.crashed', 'engine.crashed', 'engine.restarted'])
    expect(await supervisor.invoke('jobs.list', {})).toEqual([])

    const fragile = new EngineSupervisor(
      () => {
        const child = forkEngine(ENTRY, libraryDir, TSX)
        child.kill()
        return child
      },
      { restartDelayMs: 10, maxRestarts: 2 },
    )
    cleanups.push(() => fragile.close())
    await expect
      .poll(async () => (await rejectionOf(fragile.invoke('jobs.list', {}))).message, {
        timeout: 30_000,
      })
      .toMatch(/keeps stopping/)
  })
})

describe('engine process lifecycle', () => {
  it('cancels its jobs and exits cleanly when its host dies without saying goodbye', async () => {
    const { fork } = await import('node:child_process')
    const { sharedPath } = await import('../helpers/shared')
    // A host that starts an engine importing 2,530 photos, and is then killed outright.
    const libraryDir = tempDir()
    const host = fork(
      path.resolve(__dirname, 'host-fixture.ts'),
      [ENTRY, libraryDir, sharedPath('datasets', 'caltech20')],
      { execArgv: TSX, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
    )
    const enginePid = await new Promise<number>((resolve) =>
      host.on('message', (pid) => resolve(Number(pid))),
    )
    expect(isAlive(enginePid)).toBe(true)
    host.kill('SIGKILL')
    // The import is cancelled (it would take far longer than this to finish).
    await expect.poll(() => isAlive(enginePid), { timeout: 20_000 }).toBe(false)
    // It shut down cleanly: the job was cancelled (resumable), not left running by a crash.
    const lib = openLibrary(libraryDir)
    try {
      const state = lib.db.prepare(`SELECT state FROM jobs WHERE kind = 'import'`).pluck().get()
      expect(state).toBe('cancelled')
    } finally {
      lib.close()
    }
  })
})

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
