/**
 * A readers-writer gate for libvips. libvips keeps ONE error log for all its threads, so the
 * message of a decode that fails while other photos decode can be lost or belong to another
 * file. Decodes share the gate; the re-decode that reads a failure's own message holds it alone.
 */
export class DecodeGate {
  private active = 0
  private drained: (() => void)[] = []
  private closed: Promise<void> | null = null
  private exclusiveTail: Promise<void> = Promise.resolve()

  async shared<T>(task: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed
    this.active++
    try {
      return await task()
    } finally {
      if (--this.active === 0) for (const resolve of this.drained.splice(0)) resolve()
    }
  }

  async exclusive<T>(task: () => Promise<T>): Promise<T> {
    const previous = this.exclusiveTail
    let release!: () => void
    this.exclusiveTail = new Promise((resolve) => (release = resolve))
    await previous
    let open!: () => void
    this.closed = new Promise((resolve) => (open = resolve))
    try {
      if (this.active > 0) await new Promise<void>((resolve) => this.drained.push(resolve))
      return await task()
    } finally {
      this.closed = null
      open()
      release()
    }
  }
}
