/** The signals that ask a command to stop: Ctrl+C, `kill`, and a closed terminal. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Calls `stop` once, on the first stop signal; returns the function that stops listening.
 * While it listens, Node's default (dying at once, with the library lock still held) is off.
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    dispose()
    stop(signal)
  }
  const dispose = (): void => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler)
  }
  for (const signal of STOP_SIGNALS) process.on(signal, handler)
  return dispose
}
