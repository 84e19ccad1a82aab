// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { fakeViewport, scrollTo } from './layout'
import { renderApp, settle } from './render-app'

let restore: () => void
beforeEach(() => {
  restore = fakeViewport(800, 600)
})
afterEach(() => restore())

test('a group of 100,000 photos renders only the rows in view, and follows the scroll', async () => {
  const { api } = await renderApp({ sizes: [100_000], unsorted: 0 })
  await fireEvent.click(screen.getByRole('button', { name: 'Open Group 1' }))
  await settle()
  expect(screen.getByText(/100,000 photos/)).toBeTruthy()

  const shown = () =>
    within(screen.getByRole('listbox'))
      .getAllByRole('option')
      .map((t) => Number(t.dataset.index))
  const first = shown()
  // 800 px wide → 5 columns; 600 px high → 4 rows in view, plus overscan.
  expect(first[0]).toBe(0)
  expect(first.length).toBeGreaterThan(10)
  expect(first.length).toBeLessThan(100)
  // Only the first page of members was asked for, not 100,000.
  expect(api.callsOf('clusters.members').every((c) => c.limit <= 300)).toBe(true)

  const grid = screen.getByRole('listbox')
  const canvas = grid.firstElementChild as HTMLElement
  expect(parseFloat(canvas.style.height)).toBeGreaterThan(20_000 * 150)

  scrollTo(grid, 1_000_000)
  await settle()
  const later = shown()
  expect(later.length).toBeLessThan(100)
  expect(Math.min(...later)).toBeGreaterThan(30_000)
  expect(Math.max(...later)).toBeLessThan(35_000)
  // The page for that window was fetched and its photos are on screen.
  const tile = screen.getAllByRole('option').find((t) => t.dataset.photoId !== undefined)
  expect(tile).toBeDefined()
  expect(api.callsOf('clusters.members').some((c) => c.offset > 30_000)).toBe(true)
})
