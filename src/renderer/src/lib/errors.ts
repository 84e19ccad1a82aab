/**
 * Turns whatever a failed command threw into one sentence a person can read.
 * The engine rejects with a CommandError ({code, message}); Electron's IPC wraps it in
 * "Error invoking remote method 'x': Error: …", which says nothing to a person, so it is cut off.
 */
export function errorMessage(error: unknown): string {
  const raw = rawMessage(error)
  return raw.replace(/^Error invoking remote method '[^']*':\s*/, '').replace(/^Error:\s*/, '')
}

function rawMessage(error: unknown): string {
  if (typeof error === 'string') return error
  if (error && typeof error === 'object' && 'message' in error) {
    const message = (error as { message: unknown }).message
    if (typeof message === 'string' && message.length > 0) return message
  }
  return 'Something went wrong, and the engine did not say what.'
}
