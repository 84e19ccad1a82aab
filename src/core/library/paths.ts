import fs from 'node:fs/promises'

/**
 * How the library writes file paths down. Linux allows any bytes in a file name, but SQLite text
 * and JavaScript strings hold Unicode. Valid UTF-8 paths (nearly all) are stored unchanged; in
 * any other, each byte that is not part of valid UTF-8 is written as U+FFFD followed by two hex
 * digits ("caf\uFFFDE9.jpg"), and a literal U+FFFD the same way (as its three bytes), so the
 * stored text always converts back to the exact bytes on disk. `/` is never escaped: stored
 * paths join and compare like any other.
 */
const MARK = '\uFFFD'
const cp1252 = new TextDecoder('windows-1252')

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]!
  if (lead < 0x80) return 1
  const n =
    lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : 0
  if (n === 0 || i + n > bytes.length) return 0
  for (let k = 1; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0
  const next = bytes[i + 1]!
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not valid UTF-8.
  if ((lead === 0xe0 && next < 0xa0) || (lead === 0xf0 && next < 0x90)) return 0
  if ((lead === 0xed && next > 0x9f) || (lead === 0xf4 && next > 0x8f)) return 0
  return n
}

const escape = (byte: number): string => MARK + byte.toString(16).toUpperCase().padStart(2, '0')

/** Splits bytes into valid UTF-8 text runs and stray bytes, mapping each with the callbacks. */
function mapBytes(bytes: Uint8Array, text: (s: string) => string, stray: (b: number) => string) {
  let out = ''
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes, i)
    if (n === 0) out += stray(bytes[i++]!)
    else {
      out += text(Buffer.from(bytes.subarray(i, i + n)).toString('utf8'))
      i += n
    }
  }
  return out
}

/** The stored form of a path (or name) read from disk as bytes. */
export function pathFromBytes(bytes: Buffer): string {
  const text = bytes.toString('utf8')
  // Node decodes invalid UTF-8 as U+FFFD: without one, the bytes were valid and the text exact.
  if (!text.includes(MARK)) return text
  return mapBytes(
    bytes,
    (char) => (char === MARK ? [...Buffer.from(MARK)].map(escape).join('') : char),
    escape,
  )
}

/** The exact bytes a stored path stands for. */
export function bytesOfPath(stored: string): Buffer {
  if (!stored.includes(MARK)) return Buffer.from(stored)
  const parts: Buffer[] = []
  for (let i = 0; i < stored.length; i++) {
    const hex = stored[i] === MARK ? /^[0-9A-F]{2}/.exec(stored.slice(i + 1, i + 3)) : null
    if (hex) {
      parts.push(Buffer.of(parseInt(hex[0], 16)))
      i += 2
    } else {
      const code = stored.codePointAt(i)!
      const char = String.fromCodePoint(code)
      parts.push(Buffer.from(char))
      i += char.length - 1
    }
  }
  return Buffer.concat(parts)
}

/** What to hand the file system: the string itself, or its bytes when it holds stray ones. */
export function osPath(stored: string): string | Buffer {
  return stored.includes(MARK) ? bytesOfPath(stored) : stored
}

/**
 * The path for people to read: stray bytes shown as the Windows-1252 (Latin-1) characters they
 * most likely were, which is how such names usually come about ("café.jpg" from an old disk).
 */
export function readablePath(stored: string): string {
  if (!stored.includes(MARK)) return stored
  return mapBytes(
    bytesOfPath(stored),
    (char) => char,
    (byte) => cp1252.decode(Uint8Array.of(byte)),
  )
}

/**
 * What to give the image decoder (sharp), which opens files by name only when the name is
 * text: the path itself, or else the file's bytes.
 */
export async function imageInput(stored: string): Promise<string | Buffer> {
  const name = osPath(stored)
  return typeof name === 'string' ? name : fs.readFile(name)
}
