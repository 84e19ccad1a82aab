/* eslint-disable svelte/prefer-svelte-reactivity -- the set is immutable: each change assigns a new one to a $state.raw field. */
/**
 * Selection over an ordered list of items addressed by index (grid cells, group cards), with the
 * usual desktop semantics: click selects one, Ctrl/Cmd-click toggles, Shift-click selects the range
 * from the anchor, arrows move the focus (Shift extends), Space toggles, Ctrl+A selects all,
 * Escape clears. Indices, not ids, so a range over a virtualised list never needs every item loaded.
 */
export interface ClickModifiers {
  shift?: boolean
  ctrl?: boolean
}

export interface KeyContext {
  /** How many items there are. */
  count: number
  /** Items per row, so Up/Down move by a row. */
  columns: number
}

export class SelectionManager {
  #selected = $state.raw(new Set<number>())
  anchor = $state<number | null>(null)
  focus = $state<number | null>(null)
  readonly size = $derived(this.#selected.size)

  has(index: number): boolean {
    return this.#selected.has(index)
  }

  /** Selected indices in ascending order. */
  indices(): number[] {
    return [...this.#selected].sort((a, b) => a - b)
  }

  click(index: number, mods: ClickModifiers = {}): void {
    if (mods.shift && this.anchor !== null) {
      const range = rangeSet(this.anchor, index)
      this.#selected = mods.ctrl ? union(this.#selected, range) : range
    } else if (mods.ctrl) {
      this.toggle(index)
      return
    } else {
      this.#selected = new Set([index])
      this.anchor = index
    }
    this.focus = index
  }

  toggle(index: number): void {
    const next = new Set(this.#selected)
    if (next.has(index)) next.delete(index)
    else next.add(index)
    this.#selected = next
    this.anchor = index
    this.focus = index
  }

  selectAll(count: number): void {
    this.#selected = count > 0 ? rangeSet(0, count - 1) : new Set()
  }

  clear(): void {
    this.#selected = new Set()
    this.anchor = null
  }

  /** Forgets everything, e.g. when the list itself changed. */
  reset(): void {
    this.clear()
    this.focus = null
  }

  /** Handles a key press; returns true when the key was used (the caller prevents the default). */
  key(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey'>, ctx: KeyContext) {
    const ctrl = event.ctrlKey || event.metaKey
    if (ctx.count === 0) return false
    if (ctrl && event.key.toLowerCase() === 'a') {
      this.selectAll(ctx.count)
      return true
    }
    if (event.key === 'Escape') {
      if (this.size === 0) return false
      this.clear()
      return true
    }
    if (event.key === ' ') {
      this.toggle(this.focus ?? 0)
      return true
    }
    const target = this.#step(event.key, ctx)
    if (target === null) return false
    if (event.shiftKey) {
      if (this.anchor === null) this.anchor = this.focus ?? target
      this.#selected = rangeSet(this.anchor, target)
      this.focus = target
    } else if (ctrl) {
      this.focus = target // Ctrl+arrow moves the focus and keeps the selection.
    } else {
      this.click(target)
    }
    return true
  }

  #step(key: string, { count, columns }: KeyContext): number | null {
    const from = this.focus
    if (from === null) return key.startsWith('Arrow') || key === 'Home' ? 0 : null
    const moves: Record<string, number> = {
      ArrowLeft: from - 1,
      ArrowRight: from + 1,
      ArrowUp: from - columns,
      ArrowDown: from + columns,
      Home: 0,
      End: count - 1,
      PageUp: from - columns * 5,
      PageDown: from + columns * 5,
    }
    const next = moves[key]
    if (next === undefined) return null
    return Math.min(count - 1, Math.max(0, next))
  }
}

function rangeSet(a: number, b: number): Set<number> {
  const set = new Set<number>()
  for (let i = Math.min(a, b); i <= Math.max(a, b); i++) set.add(i)
  return set
}

function union(a: Set<number>, b: Set<number>): Set<number> {
  const out = new Set(a)
  for (const i of b) out.add(i)
  return out
}
