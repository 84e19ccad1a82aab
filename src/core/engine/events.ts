/**
 * A tiny typed event hub: listeners get every event, and a listener that throws never stops
 * the others (or the engine) from hearing about the next one.
 */
export class EventHub<T> {
  readonly #listeners = new Set<(event: T) => void>()

  on(listener: (event: T) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  emit(event: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event)
      } catch (error) {
        console.error('kindred: an event listener failed:', error)
      }
    }
  }

  get size(): number {
    return this.#listeners.size
  }

  clear(): void {
    this.#listeners.clear()
  }
}
