import path from 'node:path'

/** Characters no file system of Windows, macOS or Linux accepts everywhere, and control codes. */
const INVALID = /[/\\:*?"<>|\p{Cc}]/gu
/** Windows reserves these device names, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i
/** Most file systems allow 255 bytes per name; leave room for a " (123)" suffix. */
export const MAX_NAME_BYTES = 200

function truncateBytes(text: string, max: number): string {
  let out = ''
  let bytes = 0
  for (const char of text) {
    bytes += Buffer.byteLength(char)
    if (bytes > max) break
    out += char
  }
  return out
}

/** Leading dots would hide a folder on macOS and Linux; trailing dots and spaces break Windows. */
function trimEnds(text: string): string {
  return text.replace(/^[\s.]+/u, '').replace(/[\s.]+$/u, '')
}

/**
 * One path segment that is valid on every common OS: no / \ : * ? " < > | or control characters,
 * no leading or trailing dots or spaces, no reserved Windows device name, at most
 * MAX_NAME_BYTES bytes. `fallback` is used when nothing usable is left.
 */
export function safeSegment(name: string, fallback: string, maxBytes = MAX_NAME_BYTES): string {
  let text = trimEnds(name.normalize('NFC').replace(INVALID, '_'))
  text = trimEnds(truncateBytes(text, maxBytes))
  if (text === '') text = fallback
  // "CON" → "CON_", "aux.txt" → "aux_.txt"
  if (RESERVED.test(text)) text = text.replace(/^([^.]*)/, '$1_')
  return text
}

/** A folder name for a group (fallback "Group N" when the name has nothing usable). */
export function safeFolderName(name: string, fallback: string): string {
  return safeSegment(name, fallback)
}

/** A file name made safe the same way, keeping its extension. */
export function safeFileName(name: string, fallback: string): string {
  const ext = path.extname(name)
  const safeExt = ext === '' ? '' : '.' + safeSegment(ext.slice(1), '', 16)
  const stem = safeSegment(
    ext === '' ? name : name.slice(0, -ext.length),
    fallback,
    MAX_NAME_BYTES - 20,
  )
  return stem + safeExt
}

/** "Dogs" → "Dogs (2)", "a.jpg" → "a (2).jpg". */
export function withSuffix(name: string, n: number, isFile: boolean): string {
  if (!isFile) return `${name} (${n})`
  const ext = path.extname(name)
  return `${name.slice(0, name.length - ext.length)} (${n})${ext}`
}

/**
 * Picks the first of name, "name (2)", "name (3)"… that is not taken. Names are compared
 * case-insensitively because Windows and macOS treat "Dogs" and "dogs" as the same folder.
 */
export function uniqueName(
  name: string,
  taken: Set<string>,
  isFile: boolean,
  existsOnDisk: (candidate: string) => boolean = () => false,
): string {
  let candidate = name
  for (let n = 2; taken.has(candidate.toLowerCase()) || existsOnDisk(candidate); n++) {
    candidate = withSuffix(name, n, isFile)
  }
  taken.add(candidate.toLowerCase())
  return candidate
}
