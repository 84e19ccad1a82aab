import { describe, expect, test } from 'vitest'
import { SelectionManager } from '../../src/renderer/src/lib/selection-manager.svelte'

const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
})

describe('SelectionManager', () => {
  test('click selects one item and replaces the selection', () => {
    const s = new SelectionManager()
    s.click(3)
    s.click(5)
    expect(s.indices()).toEqual([5])
    expect(s.anchor).toBe(5)
  })

  test('ctrl-click toggles items in and out', () => {
    const s = new SelectionManager()
    s.click(1)
    s.click(4, { ctrl: true })
    s.click(6, { ctrl: true })
    expect(s.indices()).toEqual([1, 4, 6])
    s.click(4, { ctrl: true })
    expect(s.indices()).toEqual([1, 6])
  })

  test('shift-click selects the range from the anchor, in either direction', () => {
    const s = new SelectionManager()
    s.click(5)
    s.click(8, { shift: true })
    expect(s.indices()).toEqual([5, 6, 7, 8])
    s.click(2, { shift: true })
    expect(s.indices()).toEqual([2, 3, 4, 5])
  })

  test('ctrl+shift-click adds a range to the selection', () => {
    const s = new SelectionManager()
    s.click(0)
    s.click(10, { ctrl: true })
    s.click(12, { ctrl: true, shift: true })
    expect(s.indices()).toEqual([0, 10, 11, 12])
  })

  test('arrows move by one or by a row, clamped to the list', () => {
    const s = new SelectionManager()
    const ctx = { count: 10, columns: 4 }
    expect(s.key(key('ArrowRight'), ctx)).toBe(true)
    expect(s.indices()).toEqual([0])
    s.key(key('ArrowDown'), ctx)
    expect(s.indices()).toEqual([4])
    s.key(key('ArrowDown'), ctx)
    s.key(key('ArrowDown'), ctx)
    expect(s.indices()).toEqual([9])
    s.key(key('ArrowUp'), ctx)
    expect(s.focus).toBe(5)
  })

  test('shift+arrows extend from the anchor; space toggles; ctrl+A and Escape', () => {
    const s = new SelectionManager()
    const ctx = { count: 20, columns: 5 }
    s.click(2)
    s.key(key('ArrowRight', { shiftKey: true }), ctx)
    s.key(key('ArrowRight', { shiftKey: true }), ctx)
    expect(s.indices()).toEqual([2, 3, 4])
    s.key(key('ArrowRight', { ctrlKey: true }), ctx)
    expect(s.focus).toBe(5)
    s.key(key(' '), ctx)
    expect(s.indices()).toEqual([2, 3, 4, 5])
    s.key(key('a', { ctrlKey: true }), ctx)
    expect(s.size).toBe(20)
    expect(s.key(key('Escape'), ctx)).toBe(true)
    expect(s.size).toBe(0)
    expect(s.key(key('q'), ctx)).toBe(false)
  })

  test('a range over 100,000 items is cheap', () => {
    const s = new SelectionManager()
    s.click(0)
    s.click(99_999, { shift: true })
    expect(s.size).toBe(100_000)
  })
})
