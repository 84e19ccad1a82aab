import { describe, expect, it } from 'vitest'
import { formatBytes } from '../../src/common/format'
import { requireModel, DEFAULT_MODEL } from '../../src/core/ml/models/registry'

describe('formatBytes', () => {
  it('uses decimal units, one decimal under 100', () => {
    expect(formatBytes(0)).toBe('0 bytes')
    expect(formatBytes(1)).toBe('1 byte')
    expect(formatBytes(999)).toBe('999 bytes')
    expect(formatBytes(1000)).toBe('1.0 KB')
    expect(formatBytes(8_500_000)).toBe('8.5 MB')
    expect(formatBytes(250_400_000)).toBe('250 MB')
    expect(formatBytes(3_200_000_000_000)).toBe('3.2 TB')
  })

  it('shows the default model the same in the CLI and the app (decimal megabytes)', () => {
    const { bytes } = requireModel(DEFAULT_MODEL)
    expect(formatBytes(bytes)).toBe(`${(bytes / 1e6).toFixed(1)} MB`)
  })

  it('never shows "1000" of a unit: it moves to the next one', () => {
    expect(formatBytes(999_999)).toBe('1.0 MB')
    expect(formatBytes(999_600_000)).toBe('1.0 GB')
  })

  it('answers a dash for sizes that are not sizes', () => {
    expect(formatBytes(Number.NaN)).toBe('—')
    expect(formatBytes(-5)).toBe('—')
  })
})
