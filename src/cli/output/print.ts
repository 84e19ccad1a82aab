/** Result and error printing: text for people, exactly one JSON document for scripts. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Errors go to stderr; with --json stdout still gets its one document, `{ "error": ... }`. */
export function reportError(error: unknown, json: boolean): void {
  const message = errorMessage(error)
  process.stderr.write(`kindred: ${message}\n`)
  if (json) printJson({ error: message })
}

/** A thrown error the CLI shows as is (no stack): bad arguments, missing folders. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}
