/**
 * The engine process: Electron starts it as a utility process (messages through
 * `process.parentPort`), tests and other Node hosts as a child process (`process.send`).
 * Usage: `<entry> --library DIR [--watch [--poll]]` (`--watch`: pick up changes in the photo
 * folders; `--poll`: poll them all, as for network drives). It opens the library, says `ready` (or `fatal` and exits),
 * then answers RPC requests until it is told to shut down.
 */
import { resolveLibraryDir } from '../store/library'
import { Engine } from './engine'
import { toCommandError } from './errors'
import { parseRpcMessage, serveRpc, type RpcPort } from './rpc'

interface ParentPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  off(event: 'message', listener: (event: { data: unknown }) => void): void
}

function parentRpcPort(): RpcPort {
  const parentPort = (process as { parentPort?: ParentPort }).parentPort
  if (parentPort) {
    return {
      postMessage: (message) => parentPort.postMessage(message),
      onMessage(listener) {
        const wrapped = (event: { data: unknown }): void => listener(event.data)
        parentPort.on('message', wrapped)
        return () => parentPort.off('message', wrapped)
      },
    }
  }
  const send = process.send?.bind(process)
  if (!send) throw new Error('The engine process must be started by a host (no parent channel).')
  return {
    // Once the host is gone the channel is closed, and a plain send would raise an unhandled
    // 'error' that kills the process before it can cancel its jobs: drop the message instead.
    postMessage: (message) => {
      if (process.connected) send(message, undefined, undefined, () => {})
    },
    onMessage(listener) {
      process.on('message', listener)
      return () => process.off('message', listener)
    },
  }
}

function libraryArgument(argv: string[]): string {
  const at = argv.indexOf('--library')
  return resolveLibraryDir(at >= 0 ? argv[at + 1] : undefined)
}

async function main(): Promise<void> {
  const port = parentRpcPort()
  let engine: Engine
  try {
    const watch = process.argv.includes('--watch')
    const poll = process.argv.includes('--poll')
    engine = await Engine.open(libraryArgument(process.argv), { watch: watch && { poll } })
  } catch (error) {
    port.postMessage({ kind: 'fatal', error: toCommandError(error) })
    setTimeout(() => process.exit(1), 50)
    return
  }
  const stopServing = serveRpc(port, engine)
  let stopping = false
  const shutdown = (): void => {
    if (stopping) return
    stopping = true
    stopServing()
    void engine.close().finally(() => process.exit(0))
  }
  port.onMessage((raw) => {
    if (parseRpcMessage(raw)?.kind === 'shutdown') shutdown()
  })
  // Ctrl+C in a terminal reaches the whole process group, and a host that dies without telling
  // us closes the channel: either way, cancel the jobs and close the library, never linger.
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
  process.once('disconnect', shutdown)
  port.postMessage({ kind: 'ready' })
}

void main()
