/**
 * A typed RPC to run the Engine in another process (Electron utility process, child process,
 * worker): requests and responses matched by id, engine events pushed, errors serialised as
 * CommandError. Every message is checked against a schema on arrival.
 */
import { z } from 'zod'
import type {
  CommandArgs,
  CommandError,
  CommandName,
  CommandResult,
  EngineEvent,
  PhotoId,
  PhotoKind,
} from '../../shared/contract'
import { CommandFailure, fromCommandError, toCommandError } from './errors'
import { EventHub } from './events'
import type { EngineHandle, PhotoFile } from './handle'
import { engineEventSchema, photoKindSchema } from './schemas'

/** Anything that can carry structured-clone or JSON messages both ways. */
export interface RpcPort {
  postMessage(message: unknown): void
  onMessage(listener: (message: unknown) => void): () => void
}

/** The methods the engine process answers, with their arguments and results. */
export interface RpcMethods {
  invoke: { args: { command: string; args: unknown }; result: unknown }
  photoFile: { args: { photoId: PhotoId; kind: PhotoKind }; result: PhotoFile }
}
export type RpcMethod = keyof RpcMethods

export type RpcMessage =
  | { kind: 'request'; id: number; method: RpcMethod; args: unknown }
  | { kind: 'response'; id: number; ok: true; result?: unknown }
  | { kind: 'response'; id: number; ok: false; error: CommandError }
  | { kind: 'event'; event: EngineEvent }
  | { kind: 'ready' }
  | { kind: 'fatal'; error: CommandError }
  | { kind: 'shutdown' }

const commandError = z.object({
  code: z.enum(['invalid-arguments', 'not-found', 'conflict', 'engine-unavailable', 'failed']),
  message: z.string(),
})
const requestId = z.number().int().nonnegative()

export const rpcMessageSchema = z.union([
  z.object({
    kind: z.literal('request'),
    id: requestId,
    method: z.enum(['invoke', 'photoFile']),
    args: z.unknown(),
  }),
  z.object({
    kind: z.literal('response'),
    id: requestId,
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.object({
    kind: z.literal('response'),
    id: requestId,
    ok: z.literal(false),
    error: commandError,
  }),
  z.object({ kind: z.literal('event'), event: engineEventSchema }),
  z.object({ kind: z.literal('ready') }),
  z.object({ kind: z.literal('fatal'), error: commandError }),
  z.object({ kind: z.literal('shutdown') }),
])

const methodArgs = {
  invoke: z.object({ command: z.string(), args: z.unknown() }),
  photoFile: z.object({ photoId: z.number().int().positive(), kind: photoKindSchema }),
}

/** Parses a message from the other side; a malformed one is reported and dropped. */
export function parseRpcMessage(message: unknown): RpcMessage | null {
  const parsed = rpcMessageSchema.safeParse(message)
  if (!parsed.success) {
    console.error('kindred: dropped a malformed RPC message:', parsed.error.issues[0]?.message)
    return null
  }
  return parsed.data as RpcMessage
}

/** Answers RPC requests on `port` with `engine`, and pushes its events. Returns a stop function. */
export function serveRpc(port: RpcPort, engine: EngineHandle): () => void {
  const stopEvents = engine.onEvent((event) => port.postMessage({ kind: 'event', event }))
  const stopMessages = port.onMessage((raw) => {
    const message = parseRpcMessage(raw)
    if (message?.kind !== 'request') return
    answer(engine, message.method, message.args).then(
      (result) => port.postMessage({ kind: 'response', id: message.id, ok: true, result }),
      (error: unknown) =>
        port.postMessage({
          kind: 'response',
          id: message.id,
          ok: false,
          error: toCommandError(error),
        }),
    )
  })
  return () => {
    stopEvents()
    stopMessages()
  }
}

async function answer(engine: EngineHandle, method: RpcMethod, raw: unknown): Promise<unknown> {
  const parsed = methodArgs[method].safeParse(raw)
  if (!parsed.success) throw new CommandFailure('invalid-arguments', `Malformed ${method} request.`)
  if (method === 'photoFile') {
    const { photoId, kind } = parsed.data as RpcMethods['photoFile']['args']
    return engine.photoFile(photoId, kind)
  }
  const { command, args } = parsed.data as RpcMethods['invoke']['args']
  // The engine validates the command name and its arguments itself.
  return engine.invoke(command as CommandName, args as never)
}

interface Pending {
  resolve(value: unknown): void
  reject(error: CommandFailure): void
}

/**
 * The caller's side: an EngineHandle whose engine lives at the other end of `port`.
 * `ready` settles when the engine process says it has opened the library (or could not).
 */
export class RpcClient implements EngineHandle {
  readonly ready: Promise<void>
  readonly #port: RpcPort
  readonly #pending = new Map<number, Pending>()
  readonly #events = new EventHub<EngineEvent>()
  readonly #stop: () => void
  #nextId = 1
  #closed: CommandFailure | null = null
  #settleReady!: { resolve(): void; reject(error: CommandFailure): void }

  constructor(port: RpcPort) {
    this.#port = port
    this.ready = new Promise<void>((resolve, reject) => {
      this.#settleReady = { resolve, reject }
    })
    // A caller that never awaits `ready` must not cause an unhandled rejection.
    this.ready.catch(() => {})
    this.#stop = port.onMessage((raw) => this.#receive(raw))
  }

  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    return this.#request('invoke', { command, args }) as Promise<CommandResult<C>>
  }

  photoFile(photoId: PhotoId, kind: PhotoKind): Promise<PhotoFile> {
    return this.#request('photoFile', { photoId, kind }) as Promise<PhotoFile>
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.#events.on(listener)
  }

  /** Fails every pending and later call with `error` (the process died or is being replaced). */
  dispose(error: CommandFailure): void {
    if (this.#closed) return
    this.#closed = error
    this.#stop()
    this.#settleReady.reject(error)
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
    this.#events.clear()
  }

  async close(): Promise<void> {
    this.dispose(new CommandFailure('engine-unavailable', 'The engine was closed.'))
  }

  #request(method: RpcMethod, args: unknown): Promise<unknown> {
    if (this.#closed) return Promise.reject(this.#closed)
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      try {
        this.#port.postMessage({ kind: 'request', id, method, args })
      } catch (error) {
        this.#pending.delete(id)
        reject(
          new CommandFailure(
            'engine-unavailable',
            `Could not reach the engine: ${toCommandError(error).message}`,
          ),
        )
      }
    })
  }

  #receive(raw: unknown): void {
    const message = parseRpcMessage(raw)
    if (!message) return
    switch (message.kind) {
      case 'ready':
        this.#settleReady.resolve()
        return
      case 'fatal':
        this.dispose(fromCommandError(message.error))
        return
      case 'event':
        this.#events.emit(message.event)
        return
      case 'response': {
        const pending = this.#pending.get(message.id)
        if (!pending) return
        this.#pending.delete(message.id)
        if (message.ok) pending.resolve(message.result)
        else pending.reject(fromCommandError(message.error))
        return
      }
      case 'request':
      case 'shutdown':
        return
    }
  }
}
