import type { CommandError } from '../../shared/contract'

/**
 * A refused edit or export, in words a person understands. `code` is the contract's stable
 * error code so a host can pass it on unchanged. Nothing has changed when one is thrown.
 */
export class EditError extends Error {
  readonly code: CommandError['code']

  constructor(code: CommandError['code'], message: string) {
    super(message)
    this.name = 'EditError'
    this.code = code
  }
}
