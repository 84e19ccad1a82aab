import fs from 'node:fs'
import { sha256File } from './verify'

export interface DownloadOptions {
  /** Expected sha256 (hex) of the whole file. */
  sha256: string
  /** Attempts per file, resuming each time from what is already on disk. */
  tries?: number
  /** Milliseconds before the first retry; doubles each time. */
  retryDelayMs?: number
  signal?: AbortSignal
  /** Bytes on disk so far for this file, and its total once known. */
  onProgress?(bytes: number, total: number | undefined): void
}

export class ChecksumError extends Error {
  constructor(
    readonly url: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `${url} is damaged or not the expected file (sha256 ${actual}, expected ${expected}); it was discarded`,
    )
    this.name = 'ChecksumError'
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    url: string,
  ) {
    super(`${url} answered HTTP ${status}`)
  }
}

function sizeOf(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).size : 0
}

/** One attempt: continues `partial` with a Range request when it already has bytes. */
async function fetchInto(url: string, partial: string, options: DownloadOptions): Promise<void> {
  const have = sizeOf(partial)
  const headers: Record<string, string> = have > 0 ? { Range: `bytes=${have}-` } : {}
  const response = await fetch(url, { headers, signal: options.signal })
  if (response.status === 416) return // nothing left to fetch: the checksum decides
  if (!response.ok) throw new HttpError(response.status, url)
  const resumed = response.status === 206
  const length = Number(response.headers.get('content-length') ?? NaN)
  const total = Number.isFinite(length) ? length + (resumed ? have : 0) : undefined
  const out = fs.createWriteStream(partial, { flags: resumed ? 'a' : 'w' })
  let bytes = resumed ? have : 0
  try {
    if (!response.body) throw new Error(`${url} sent no body`)
    for await (const chunk of response.body) {
      const buffer = chunk as Uint8Array
      if (!out.write(buffer))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()))
      bytes += buffer.length
      options.onProgress?.(bytes, total)
    }
  } finally {
    await new Promise<void>((resolve) => out.end(resolve))
  }
  if (total !== undefined && bytes < total)
    throw new Error(`the connection closed after ${bytes} of ${total} bytes`)
}

function retryable(error: unknown): boolean {
  if (error instanceof HttpError) return error.status >= 500 || error.status === 429
  return !(error instanceof Error && error.name === 'AbortError')
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  const base = error instanceof Error ? error.message : String(error)
  return cause?.code
    ? `${base} (${cause.code})`
    : cause?.message
      ? `${base} (${cause.message})`
      : base
}

/**
 * Downloads `url` to `dest`: bytes go to `dest.partial` first, an interrupted transfer resumes
 * with an HTTP Range request (on retry or on the next run), and only a file whose sha256
 * matches is moved to `dest`. A mismatching file is deleted and a ChecksumError thrown.
 */
export async function downloadFile(
  url: string,
  dest: string,
  options: DownloadOptions,
): Promise<void> {
  const partial = `${dest}.partial`
  const tries = options.tries ?? 4
  let delay = options.retryDelayMs ?? 500
  for (let attempt = 1; ; attempt++) {
    try {
      await fetchInto(url, partial, options)
      break
    } catch (error) {
      // A cancelled job aborts with its own reason (not an AbortError): stop, never retry.
      if (options.signal?.aborted) throw options.signal.reason ?? error
      if (attempt >= tries || !retryable(error)) {
        if (error instanceof Error && error.name === 'AbortError') throw error
        throw new Error(
          `Could not download ${url}: ${describe(error)} (tried ${attempt} time${attempt > 1 ? 's' : ''}). ` +
            'Check the address and the connection, then run the same command again: it resumes where it stopped.',
          { cause: error },
        )
      }
      await new Promise((resolve) => setTimeout(resolve, delay))
      delay *= 2
    }
  }
  const actual = await sha256File(partial)
  if (actual !== options.sha256) {
    fs.rmSync(partial, { force: true })
    throw new ChecksumError(url, options.sha256, actual)
  }
  fs.renameSync(partial, dest)
}
