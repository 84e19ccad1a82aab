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

/**
 * A promise that settles on the first stop signal, listening from now on: a command that waits
 * for Ctrl+C starts listening before it tells anyone it is ready. `dispose` stops listening.
 */
export function stopRequested(): { requested: Promise<NodeJS.Signals>; dispose: () => void } {
  let dispose = (): void => {}
  const requested = new Promise<NodeJS.Signals>((resolve) => {
    dispose = onStopSignal(resolve)
  })
  return { requested, dispose }
}
