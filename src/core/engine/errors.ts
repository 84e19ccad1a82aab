import type { CommandError } from '../../shared/contract'

export type CommandErrorCode = CommandError['code']

const CODES: readonly CommandErrorCode[] = [
  'invalid-arguments',
  'not-found',
  'conflict',
  'engine-unavailable',
  'failed',
]

/** A command that failed, with a stable code and a message written for a person. */
export class CommandFailure extends Error implements CommandError {
  readonly code: CommandErrorCode

  constructor(code: CommandErrorCode, message: string) {
    super(message)
    this.name = 'CommandFailure'
    this.code = code
  }

  toJSON(): CommandError {
    return { code: this.code, message: this.message }
  }
}

export function isCommandErrorCode(value: unknown): value is CommandErrorCode {
  return typeof value === 'string' && (CODES as readonly string[]).includes(value)
}

/** True for anything shaped like a CommandError (a plain object from IPC, or a CommandFailure). */
export function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== 'object' || value === null) return false
  const { code, message } = value as Record<string, unknown>
  return isCommandErrorCode(code) && typeof message === 'string'
}

/**
 * Any thrown value as a CommandError. Core modules may throw errors that carry one of the
 * contract's codes (`error.code`); everything else becomes 'failed' with the error's message.
 */
export function toCommandError(error: unknown): CommandError {
  if (isCommandError(error)) return { code: error.code, message: error.message }
  if (error instanceof Error) return { code: 'failed', message: error.message || error.name }
  return { code: 'failed', message: String(error) }
}

/** Turns a CommandError received from another process back into a throwable CommandFailure. */
export function fromCommandError(error: CommandError): CommandFailure {
  return new CommandFailure(error.code, error.message)
}
