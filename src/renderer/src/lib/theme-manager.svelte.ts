/**
 * The colour theme: the system's (light or dark as the OS says), or one the person picked. The
 * choice is kept in this window's storage so it survives a restart, and applied as
 * `data-theme` on the root element, which app.css turns into a `color-scheme`.
 */
export type ThemeChoice = 'system' | 'light' | 'dark'

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark']
const KEY = 'kindred.theme'

export class ThemeManager {
  choice = $state<ThemeChoice>('system')
  #root: HTMLElement
  #storage: Storage | null

  constructor(root: HTMLElement = document.documentElement, storage = safeStorage()) {
    this.#root = root
    this.#storage = storage
    const saved = this.#storage?.getItem(KEY)
    this.#apply(isChoice(saved) ? saved : 'system')
  }

  set(choice: ThemeChoice): void {
    this.#apply(choice)
    try {
      if (choice === 'system') this.#storage?.removeItem(KEY)
      else this.#storage?.setItem(KEY, choice)
    } catch {
      // Storage full or disabled: the theme still applies for this session.
    }
  }

  #apply(choice: ThemeChoice): void {
    this.choice = choice
    if (choice === 'system') delete this.#root.dataset.theme
    else this.#root.dataset.theme = choice
  }
}

function isChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEME_CHOICES as readonly string[]).includes(value)
}

/** localStorage, or null where a browser refuses it (privacy modes, opaque origins). */
function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}
