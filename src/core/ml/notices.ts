/**
 * Things a person should hear about once: a faster optional package that is missing, and
 * how to get it. Each notice is kept (engine.info shows them) and passed to the listeners
 * (the CLI prints it) the first time only.
 */
const said = new Map<string, string>()
const listeners = new Set<(message: string) => void>()

export function notice(key: string, message: string): void {
  if (said.has(key)) return
  said.set(key, message)
  for (const listener of listeners) listener(message)
}

/** Every notice given so far in this process. */
export function notices(): string[] {
  return [...said.values()]
}

export function onNotice(listener: (message: string) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
