import { describe, expect, it } from 'vitest'
import { safeFileName, safeFolderName, uniqueName } from '../../src/core/export'

describe('folder and file names safe on every OS', () => {
  it('replaces characters Windows, macOS or Linux refuse', () => {
    expect(safeFolderName('Cats/Dogs\\Birds: *best*? "yes" <no> |x|', 'Group 1')).toBe(
      'Cats_Dogs_Birds_ _best__ _yes_ _no_ _x_',
    )
    expect(safeFolderName('tab\there', 'G')).toBe('tab_here')
  })

  it('drops leading and trailing dots and spaces, falling back when nothing is left', () => {
    expect(safeFolderName('  Holidays.. ', 'Group 2')).toBe('Holidays')
    expect(safeFolderName('.hidden', 'Group 2')).toBe('hidden')
    expect(safeFolderName('...', 'Group 2')).toBe('Group 2')
    expect(safeFolderName('   ', 'Group 7')).toBe('Group 7')
  })

  it('renames reserved Windows device names', () => {
    expect(safeFolderName('CON', 'G')).toBe('CON_')
    expect(safeFolderName('com1', 'G')).toBe('com1_')
    expect(safeFolderName('Lpt9', 'G')).toBe('Lpt9_')
    expect(safeFileName('aux.jpg', 'p')).toBe('aux_.jpg')
    expect(safeFolderName('Console', 'G')).toBe('Console')
  })

  it('limits names to 200 bytes without cutting a character in half', () => {
    const long = safeFolderName('ü'.repeat(300), 'G')
    expect(Buffer.byteLength(long)).toBe(200)
    expect(long).toBe('ü'.repeat(100))
    const file = safeFileName('x'.repeat(400) + '.jpeg', 'p')
    expect(file.endsWith('.jpeg')).toBe(true)
    expect(Buffer.byteLength(file)).toBeLessThanOrEqual(200)
  })

  it('resolves collisions case-insensitively with " (2)", " (3)"…', () => {
    const taken = new Set<string>()
    expect(uniqueName('Dogs', taken, false)).toBe('Dogs')
    expect(uniqueName('dogs', taken, false)).toBe('dogs (2)')
    expect(uniqueName('DOGS', taken, false)).toBe('DOGS (3)')
    const files = new Set<string>()
    expect(uniqueName('a.jpg', files, true)).toBe('a.jpg')
    expect(uniqueName('A.JPG', files, true)).toBe('A (2).JPG')
    expect(uniqueName('b.jpg', files, true, (n) => n === 'b.jpg')).toBe('b (2).jpg')
  })
})
