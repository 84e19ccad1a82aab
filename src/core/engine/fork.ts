import { fork } from 'node:child_process'
import type { EngineProcess } from './supervisor'

/**
 * Starts the engine in a Node child process (for Node hosts and tests; Electron uses a
 * utility process instead). `entry` is process-entry.ts (run through tsx) or its built .js;
 * `args` are its options after the library (`--watch`).
 */
export function forkEngine(
  entry: string,
  libraryDir: string,
  execArgv: string[] = [],
  args: string[] = [],
): EngineProcess {
  const child = fork(entry, ['--library', libraryDir, ...args], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return {
    port: {
      postMessage(message) {
        if (!child.connected) throw new Error('the engine process is not running')
        // If the engine dies just now, the error comes here rather than as an unhandled
        // 'error' event that would take the host down; onExit reports the death.
        child.send(message as never, undefined, undefined, () => {})
      },
      onMessage(listener) {
        child.on('message', listener)
        return () => child.off('message', listener)
      },
    },
    onExit(listener) {
      child.once('exit', (code, signal) =>
        listener(signal ? `killed by ${signal}` : `exited with code ${code ?? 'unknown'}`),
      )
    },
    kill: () => child.kill('SIGKILL'),
  }
}
