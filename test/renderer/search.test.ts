// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { fakeViewport } from './layout'
import { renderApp, settle } from './render-app'

let restore: () => void
beforeEach(() => {
  restore = fakeViewport(1000, 700)
})
afterEach(() => restore())

function found(): number[] {
  const grid = screen.getByRole('listbox', { name: 'Photos found' })
  return within(grid)
    .getAllByRole('option')
    .map((t) => Number(t.dataset.photoId))
}

describe('Finding and reviewing photos', () => {
  test('the top bar finds photos by name, and the filters narrow them', async () => {
    const { api } = await renderApp()
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Search photos' }), {
      target: { value: 'img_001' },
    })
    await fireEvent.submit(screen.getByRole('search'))
    await settle()
    expect(screen.getByRole('heading', { name: 'Find photos' })).toBeTruthy()
    expect(found()).toEqual([10, 11, 12, 13, 14, 15])
    expect(screen.getByText('6 photos')).toBeTruthy()

    await fireEvent.change(screen.getByRole('combobox', { name: 'Group' }), {
      target: { value: 'unsorted' },
    })
    await settle()
    expect(found()).toEqual([14, 15])
    expect(api.callsOf('photos.search').at(-1)).toMatchObject({ text: 'img_001', clusterId: null })

    await fireEvent.change(screen.getByRole('combobox', { name: 'Group' }), {
      target: { value: '' },
    })
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Only doubtful photos' }))
    await settle()
    // The doubtful ones among them, least sure first, each naming the group it almost joined.
    expect(found()).toEqual([10, 13])
    const tile = screen.getAllByRole('option').find((t) => t.dataset.photoId === '13')!
    expect(tile.textContent).toContain('maybe Group 1')
  })

  test('an empty result says so and a date range reaches the engine as a day span', async () => {
    const { api } = await renderApp()
    await fireEvent.submit(screen.getByRole('search'))
    await settle()
    await fireEvent.input(screen.getByLabelText('Taken from'), { target: { value: '2024-06-01' } })
    await fireEvent.input(screen.getByLabelText('to'), { target: { value: '2024-06-01' } })
    await settle()
    const last = api.callsOf('photos.search').at(-1)!
    expect(last.takenFrom).toBe(new Date(2024, 5, 1).getTime())
    expect(last.takenTo).toBe(new Date(2024, 5, 2).getTime())
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Name or folder' }), {
      target: { value: 'nothing like this' },
    })
    await settle()
    expect(screen.getByText(/No photo matches/)).toBeTruthy()
  })

  test('doubtful photos are reviewed one by one with one-key answers', async () => {
    const { api } = await renderApp()
    await fireEvent.click(screen.getByRole('button', { name: 'Review 4 doubtful photos' }))
    await settle()
    expect(screen.getByRole('heading', { name: 'Review doubtful photos' })).toBeTruthy()
    // Least sure first: photo 6 (Group 1, 20%), runner-up Group 2.
    expect(screen.getByRole('img', { name: 'IMG_0006.jpg' })).toBeTruthy()
    expect(screen.getByText('1 of 4 · 0 decided')).toBeTruthy()
    await fireEvent.keyDown(window, { key: '2' })
    await settle()
    expect(api.callsOf('photos.move')).toEqual([{ photoIds: [6], to: 2 }])
    await fireEvent.keyDown(window, { key: 'ArrowRight' })
    await settle()
    await fireEvent.click(screen.getByRole('button', { name: /Keep in/ }))
    await settle()
    await fireEvent.keyDown(window, { key: 'u' })
    await settle()
    const moves = api.callsOf('photos.move')
    expect(moves).toHaveLength(3)
    expect(moves[2]!.to).toBeNull()
    expect(screen.getByText('You went through 4 photos and decided 3 of them.')).toBeTruthy()

    await fireEvent.click(screen.getByRole('button', { name: 'Back to the groups' }))
    await settle()
    expect(screen.getByRole('button', { name: 'Review 1 doubtful photo' })).toBeTruthy()
  })
})
