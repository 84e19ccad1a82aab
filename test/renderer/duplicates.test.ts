// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/svelte'
import { beforeEach, describe, expect, test } from 'vitest'
import { renderApp, settle } from './render-app'

/** Group 1 holds photos 1-6: a burst of three (1, 2, 3) and a pair (4, 5) less alike. */
const DUPLICATES = [
  { ids: [1, 2, 3], similarity: 0.97 },
  { ids: [4, 5], similarity: 0.88 },
]

async function openDuplicates() {
  const app = await renderApp({ sizes: [6, 4], unsorted: 0, duplicates: DUPLICATES })
  const nav = screen.getByRole('navigation', { name: 'Main' })
  await fireEvent.click(within(nav).getByRole('button', { name: 'Duplicates' }))
  await screen.findByRole('article', { name: 'Set 1: 3 photos' })
  return app
}

const set = (n: number, photos: number) =>
  screen.getByRole('article', { name: `Set ${n}: ${photos} photos` })
const tile = (article: HTMLElement, fileName: string) =>
  within(article)
    .getAllByRole('listitem')
    .find((li) => within(li).queryByText(fileName))!
const groupSize = (name: string) =>
  within(screen.getByRole('article', { name: `Group ${name}` })).getByText(/\d+ photos/).textContent

beforeEach(() => localStorage.clear())

describe('Duplicates screen', () => {
  test('shows each set with the suggested keeper marked and the threshold in use', async () => {
    await openDuplicates()
    expect(screen.getByRole('heading', { name: 'Duplicates' })).toBeTruthy()
    expect(screen.getByRole('status', { name: 'Threshold in use' }).textContent).toBe('0.85')
    expect(screen.getByRole('slider', { name: /Similarity threshold/ })).toBeTruthy()
    const first = set(1, 3)
    expect(within(tile(first, 'IMG_0001.jpg')).getByText('Suggested')).toBeTruthy()
    expect(within(tile(first, 'IMG_0002.jpg')).queryByText('Suggested')).toBeNull()
    expect(within(first).getAllByRole('img')).toHaveLength(3)
    expect(set(2, 2)).toBeTruthy()
    expect(screen.getByText(/2 sets at similarity ≥ 0.85, 2 still/)).toBeTruthy()
  })

  test('keeps one and hides the rest; the groups shrink and Ctrl+Z brings them back', async () => {
    const { api } = await openDuplicates()
    const before = api.callsOf('duplicates.find').length
    await fireEvent.click(
      within(tile(set(1, 3), 'IMG_0001.jpg')).getByRole('button', {
        name: 'Keep this one, hide the rest',
      }),
    )
    await settle()
    expect(api.callsOf('duplicates.keep')).toEqual([{ keep: 1, hide: [2, 3] }])
    expect(api.callsOf('duplicates.find').length).toBeGreaterThan(before)
    expect(within(tile(set(2, 3), 'IMG_0002.jpg')).getByText('Hidden')).toBeTruthy()
    expect(within(tile(set(2, 3), 'IMG_0001.jpg')).getByText('Kept')).toBeTruthy()
    expect(screen.getByText(/2 photos hidden/)).toBeTruthy()

    await fireEvent.keyDown(window, { key: 'z', ctrlKey: true })
    await settle()
    await settle()
    expect(api.callsOf('edits.undo')).toHaveLength(1)
    expect(within(tile(set(1, 3), 'IMG_0002.jpg')).queryByText('Hidden')).toBeNull()
    expect(screen.queryByText(/photos hidden/)).toBeNull()
    const nav = screen.getByRole('navigation', { name: 'Main' })
    await fireEvent.click(within(nav).getByRole('button', { name: 'Groups' }))
    await settle()
    expect(groupSize('Group 1')).toBe('6 photos')
  })

  test('hidden photos leave their group, and "Show hidden again" brings them back', async () => {
    const { api } = await openDuplicates()
    await fireEvent.click(
      within(tile(set(2, 2), 'IMG_0005.jpg')).getByRole('button', {
        name: 'Keep this one, hide the rest',
      }),
    )
    await settle()
    expect(api.callsOf('duplicates.keep')).toEqual([{ keep: 5, hide: [4] }])
    const nav = screen.getByRole('navigation', { name: 'Main' })
    await fireEvent.click(within(nav).getByRole('button', { name: 'Groups' }))
    await settle()
    expect(groupSize('Group 1')).toBe('5 photos')
    await fireEvent.click(within(nav).getByRole('button', { name: 'Duplicates' }))
    const resolved = await screen.findByRole('article', { name: 'Set 2: 2 photos' })
    await fireEvent.click(within(resolved).getByRole('button', { name: 'Show hidden again' }))
    await settle()
    expect(api.callsOf('photos.show')).toEqual([{ photoIds: [4] }])
    expect(screen.queryByText(/hidden\./)).toBeNull()
  })

  test('a stricter threshold asks the engine again and shows fewer sets; reset goes back', async () => {
    const { api } = await openDuplicates()
    const slider = screen.getByRole('slider', { name: /Similarity threshold/ })
    await fireEvent.input(slider, { target: { value: '0.95' } })
    await fireEvent.change(slider, { target: { value: '0.95' } })
    await settle()
    expect(api.callsOf('duplicates.find').at(-1)).toEqual({ threshold: 0.95 })
    expect(screen.getByRole('status', { name: 'Threshold in use' }).textContent).toBe('0.95')
    expect(screen.queryByRole('article', { name: 'Set 2: 2 photos' })).toBeNull()
    expect(localStorage.getItem('kindred.duplicates.threshold')).toBe('0.95')
    await fireEvent.click(screen.getByRole('button', { name: 'Reset to the default (0.85)' }))
    await settle()
    expect(api.callsOf('duplicates.find').at(-1)).toEqual({})
    expect(set(2, 2)).toBeTruthy()
  })

  test('says when the engine refuses, instead of showing stale sets', async () => {
    const { api } = await renderApp({ sizes: [6], unsorted: 0, duplicates: DUPLICATES })
    api.failures.set('duplicates.find', 'The library is busy.')
    const nav = screen.getByRole('navigation', { name: 'Main' })
    await fireEvent.click(within(nav).getByRole('button', { name: 'Duplicates' }))
    expect((await screen.findByRole('alert')).textContent).toMatch(/The library is busy/)
  })
})
