/** Short messages for the person: what just happened, or what went wrong and why. */
import { errorMessage } from './errors'

export interface Notice {
  id: number
  kind: 'info' | 'error'
  text: string
}

export class Notices {
  items = $state<Notice[]>([])
  #next = 1

  /** `ms`: how long it shows; longer for news the person did not ask for and may be away from. */
  info(text: string, ms = 4000): void {
    this.#push('info', text, ms)
  }

  error(error: unknown, context?: string): void {
    const text = errorMessage(error)
    this.#push('error', context ? `${context}: ${text}` : text, 10000)
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id)
  }

  #push(kind: Notice['kind'], text: string, ms: number): void {
    const id = this.#next++
    this.items = [...this.items.slice(-3), { id, kind, text }]
    setTimeout(() => this.dismiss(id), ms)
  }
}
