/** Thrown (and rejected with) when a job stops because it was cancelled. */
export class JobCancelledError extends Error {
  constructor(readonly jobId: number) {
    super(`Job ${jobId} was cancelled.`)
    this.name = 'JobCancelledError'
  }
}

export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true
  return (
    error instanceof Error && (error.name === 'AbortError' || error instanceof JobCancelledError)
  )
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
