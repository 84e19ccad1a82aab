/**
 * Keeps an Engine running in another process and restarts it when it dies (a crash or an
 * out-of-memory never takes the host down). The host sees one EngineHandle throughout; calls
 * made while the engine restarts wait for it, calls that were in flight when it died fail with
 * 'engine-unavailable'. Restarts are limited so a library that crashes the engine at once does
 * not loop forever.
 */
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  EngineEvent,
  PhotoId,
  PhotoKind,
} from '../../shared/contract'
import { CommandFailure } from './errors'
import { EventHub } from './events'
import type { EngineHandle, PhotoFile } from './handle'
import { RpcClient, type RpcPort } from './rpc'

/** A started engine process, whatever kind of process it is. */
export interface EngineProcess {
  port: RpcPort
  /** Called once when the process ends; `reason` in words (exit code, signal). */
  onExit(listener: (reason: string) => void): void
  kill(): void
}

export interface SupervisorOptions {
  /** At most this many restarts within `windowMs`; then the engine stays down. */
  maxRestarts?: number
  windowMs?: number
  restartDelayMs?: number
  /** How long a graceful shutdown may take before the process is killed. */
  shutdownMs?: number
}

export class EngineSupervisor implements EngineHandle {
  readonly #spawn: () => EngineProcess
  readonly #options: Required<SupervisorOptions>
  readonly #events = new EventHub<EngineEvent>()
  readonly #restarts: number[] = []
  #current: { process: EngineProcess; client: RpcClient; exited: Promise<void> } | null = null
  #ready: Promise<RpcClient>
  #closed = false
  #down: CommandFailure | null = null

  constructor(spawn: () => EngineProcess, options: SupervisorOptions = {}) {
    this.#spawn = spawn
    this.#options = {
      maxRestarts: options.maxRestarts ?? 3,
      windowMs: options.windowMs ?? 60_000,
      restartDelayMs: options.restartDelayMs ?? 500,
      shutdownMs: options.shutdownMs ?? 5_000,
    }
    this.#ready = this.#start()
    this.#ready.catch(() => {})
  }

  /** Resolves when the first engine process has opened the library. */
  async started(): Promise<void> {
    await this.#ready
  }

  async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    return (await this.#client()).invoke(command, args)
  }

  async photoFile(photoId: PhotoId, kind: PhotoKind): Promise<PhotoFile> {
    return (await this.#client()).photoFile(photoId, kind)
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.#events.on(listener)
  }

  /** Asks the engine to finish (it cancels its jobs), then makes sure the process is gone. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const current = this.#current
    if (!current) return
    try {
      current.process.port.postMessage({ kind: 'shutdown' })
    } catch {
      // Already gone: nothing to ask.
    }
    const timer = setTimeout(() => current.process.kill(), this.#options.shutdownMs)
    await current.exited
    clearTimeout(timer)
    current.client.dispose(new CommandFailure('engine-unavailable', 'The engine was closed.'))
  }

  async #client(): Promise<RpcClient> {
    if (this.#closed) throw new CommandFailure('engine-unavailable', 'The engine was closed.')
    if (this.#down) throw this.#down
    return this.#ready
  }

  async #start(): Promise<RpcClient> {
    const process = this.#spawn()
    const client = new RpcClient(process.port)
    let markExited!: () => void
    const exited = new Promise<void>((resolve) => (markExited = resolve))
    this.#current = { process, client, exited }
    client.onEvent((event) => this.#events.emit(event))
    let gone = false
    process.onExit((reason) => {
      gone = true
      markExited()
      this.#exited(client, reason)
    })
    try {
      await client.ready
    } catch (error) {
      // A crash while starting is handled (and limited) like any crash, by #exited.
      if (gone) throw error
      // The engine said it cannot open the library: restarting would fail the same way.
      this.#down =
        error instanceof CommandFailure
          ? error
          : new CommandFailure('engine-unavailable', String(error))
      throw this.#down
    }
    return client
  }

  #exited(client: RpcClient, reason: string): void {
    const failure = new CommandFailure(
      'engine-unavailable',
      `The engine stopped unexpectedly (${reason}); it is being restarted.`,
    )
    client.dispose(failure)
    if (this.#closed) return
    this.#events.emit({ type: 'engine.crashed', reason: this.#down?.message ?? reason })
    if (this.#down) return
    const now = Date.now()
    while (this.#restarts.length && now - this.#restarts[0]! > this.#options.windowMs)
      this.#restarts.shift()
    if (this.#restarts.length >= this.#options.maxRestarts) {
      this.#down = new CommandFailure(
        'engine-unavailable',
        `The engine keeps stopping (${reason}). Restart Kindred; if it happens again, the library may need repair.`,
      )
      this.#ready = Promise.reject(this.#down)
      this.#ready.catch(() => {})
      return
    }
    this.#restarts.push(now)
    this.#ready = new Promise<void>((resolve) => setTimeout(resolve, this.#options.restartDelayMs))
      .then(() => {
        if (this.#closed) throw new CommandFailure('engine-unavailable', 'The engine was closed.')
        return this.#start()
      })
      .then((next) => {
        this.#events.emit({ type: 'engine.restarted' })
        return next
      })
    this.#ready.catch(() => {})
  }
}
