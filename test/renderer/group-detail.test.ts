// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { fakeViewport } from './layout'
import { renderApp, settle } from './render-app'

let restore: () => void
beforeEach(() => {
  restore = fakeViewport(800, 600)
})
afterEach(() => restore())

async function openGroup(
  name: string,
  sizes = [6, 4, 3],
  lookalikes: [number, number, number][] = [],
) {
  const rendered = await renderApp({ sizes, unsorted: 2, lookalikes })
  await fireEvent.click(screen.getByRole('button', { name: `Open ${name}` }))
  await settle()
  return rendered
}

/** The photo tiles (the move menu's <option>s are options too, outside the grid). */
function tiles(): HTMLElement[] {
  return within(screen.getByRole('listbox')).getAllByRole('option')
}

function selectedIds(): number[] {
  return tiles()
    .filter((t) => t.getAttribute('aria-selected') === 'true')
    .map((t) => Number(t.dataset.photoId))
}

describe('Group detail', () => {
  test('lists prototypes first, then members by confidence', async () => {
    await openGroup('Group 1')
    expect(screen.getAllByRole('img', { name: /Typical photo/ })).toHaveLength(4)
    expect(tiles().map((t) => Number(t.dataset.photoId))).toEqual([1, 2, 3, 4, 5, 6])
  })

  test('click, shift-click and ctrl-click select like a file manager', async () => {
    await openGroup('Group 1')
    await fireEvent.click(tiles()[1]!)
    expect(selectedIds()).toEqual([2])
    await fireEvent.click(tiles()[4]!, { shiftKey: true })
    expect(selectedIds()).toEqual([2, 3, 4, 5])
    await fireEvent.click(tiles()[2]!, { ctrlKey: true })
    expect(selectedIds()).toEqual([2, 4, 5])
    await fireEvent.click(tiles()[0]!)
    expect(selectedIds()).toEqual([1])
    expect(screen.getByText('1 photo selected')).toBeTruthy()
  })

  test('the keyboard moves, extends, toggles, selects all and clears', async () => {
    await openGroup('Group 1')
    const grid = screen.getByRole('listbox', { name: 'Photos in Group 1' })
    await fireEvent.keyDown(grid, { key: 'ArrowRight' })
    expect(selectedIds()).toEqual([1])
    expect(grid.getAttribute('aria-activedescendant')).toBe('photo-tile-0')
    expect(document.getElementById('photo-tile-0')?.getAttribute('aria-selected')).toBe('true')
    await fireEvent.keyDown(grid, { key: 'ArrowRight', shiftKey: true })
    await fireEvent.keyDown(grid, { key: 'ArrowRight', shiftKey: true })
    expect(selectedIds()).toEqual([1, 2, 3])
    await fireEvent.keyDown(grid, { key: 'a', ctrlKey: true })
    expect(selectedIds()).toEqual([1, 2, 3, 4, 5, 6])
    await fireEvent.keyDown(grid, { key: 'Escape' })
    expect(selectedIds()).toEqual([])
  })

  test('marks unsure members with the group they almost joined', async () => {
    await openGroup('Group 1')
    // The fake's 5th and 6th members are below 50% with Group 2 as runner-up.
    const unsure = tiles().filter((t) => t.textContent?.includes('maybe Group 2'))
    expect(unsure.map((t) => Number(t.dataset.photoId))).toEqual([5, 6])
  })

  test('moves the selected photos to another group', async () => {
    const { api } = await openGroup('Group 1')
    await fireEvent.click(tiles()[0]!)
    await fireEvent.click(tiles()[2]!, { ctrlKey: true })
    const select = screen.getByRole('combobox', { name: 'Move selected photos to' })
    await fireEvent.change(select, { target: { value: '2' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Move' }))
    await settle()
    expect(api.callsOf('photos.move')).toEqual([{ photoIds: [1, 3], to: 2 }])
    expect(tiles().map((t) => Number(t.dataset.photoId))).toEqual([2, 4, 5, 6])
    expect(selectedIds()).toEqual([])
  })

  test('moves photos to Unsorted', async () => {
    const { api } = await openGroup('Group 1')
    await fireEvent.click(tiles()[5]!)
    await fireEvent.change(screen.getByRole('combobox', { name: 'Move selected photos to' }), {
      target: { value: 'unsorted' },
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Move' }))
    await settle()
    expect(api.callsOf('photos.move')).toEqual([{ photoIds: [6], to: null }])
  })

  test('Unsorted says why each photo is there and lets the person file it', async () => {
    const { api } = await renderApp({ sizes: [6, 4, 3], unsorted: 2 })
    await fireEvent.click(screen.getByRole('button', { name: /Unsorted/ }))
    await settle()
    expect(tiles().map((t) => t.querySelector('.reason')?.textContent)).toEqual([
      'Doesn’t look like any group · closest: Group 1',
      'Doesn’t look like any group · closest: Group 2',
    ])
    await fireEvent.click(tiles()[0]!)
    await fireEvent.change(screen.getByRole('combobox', { name: 'Move selected photos to' }), {
      target: { value: '1' },
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Move' }))
    await settle()
    expect(api.callsOf('photos.move')).toEqual([{ photoIds: [14], to: 1 }])
    expect(tiles()).toHaveLength(1)
  })

  test('a photo moved to Unsorted by hand says so', async () => {
    await openGroup('Group 1')
    await fireEvent.click(tiles()[5]!)
    await fireEvent.change(screen.getByRole('combobox', { name: 'Move selected photos to' }), {
      target: { value: 'unsorted' },
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Move' }))
    await settle()
    await fireEvent.click(screen.getByRole('button', { name: '← Groups' }))
    await settle()
    await fireEvent.click(screen.getByRole('button', { name: /Unsorted/ }))
    await settle()
    expect(tiles().map((t) => t.querySelector('.reason')?.textContent)).toContain(
      'Moved here by you',
    )
  })

  test('opens a photo full size with its EXIF details', async () => {
    await openGroup('Group 1')
    await fireEvent.dblClick(tiles()[0]!)
    await settle()
    const dialog = screen.getByRole('dialog')
    expect(within(dialog).getByText('Test Camera')).toBeTruthy()
    expect(within(dialog).getByRole('img').getAttribute('src')).toContain('full-1')
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Next →' }))
    await settle()
    expect(within(screen.getByRole('dialog')).getByRole('img').getAttribute('src')).toContain(
      'full-2',
    )
  })

  test('names photos by file name, and marks hand-placed ones with an icon', async () => {
    const { api } = await openGroup('Group 1')
    expect(within(tiles()[0]!).getByRole('img', { name: 'IMG_0001.jpg' })).toBeTruthy()
    expect(within(tiles()[0]!).queryByRole('img', { name: 'Placed by you' })).toBeNull()
    // Placing a photo by hand in its own group marks it as the person's choice.
    await api.invoke('photos.move', { photoIds: [1], to: 1 })
    api.emit({ type: 'clusters.changed' })
    await settle()
    const placed = tiles().find((t) => t.dataset.photoId === '1')!
    const badge = within(placed).getByRole('img', { name: 'Placed by you' })
    expect(badge.querySelector('svg')).toBeTruthy()
    expect(badge.textContent?.trim()).toBe('')
  })

  test('gives the keyboard back to the grid, on the photo last shown, when the viewer closes', async () => {
    await openGroup('Group 1')
    const grid = screen.getByRole('listbox', { name: 'Photos in Group 1' })
    grid.focus()
    await fireEvent.keyDown(grid, { key: 'ArrowRight' })
    await fireEvent.keyDown(grid, { key: 'Enter' })
    await settle()
    const dialog = screen.getByRole('dialog')
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Next →' }))
    await settle()
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }))
    await settle()
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(grid)
    expect(grid.getAttribute('aria-activedescendant')).toBe('photo-tile-1')
  })

  test('drags the selected photos onto a group in the side list to move them', async () => {
    const { api } = await openGroup('Group 1')
    await fireEvent.click(tiles()[0]!)
    await fireEvent.click(tiles()[2]!, { ctrlKey: true })
    const data = new Map<string, string>()
    const dataTransfer = {
      setData: (type: string, value: string) => data.set(type, value),
      getData: (type: string) => data.get(type) ?? '',
      get types() {
        return [...data.keys()]
      },
      effectAllowed: 'none',
      dropEffect: 'none',
    }
    await fireEvent.dragStart(tiles()[2]!, { dataTransfer })
    expect(data.get('application/x-kindred-photos')).toBe('2')
    const side = screen.getByRole('complementary', { name: 'Drop photos on a group' })
    const target = side.querySelector('[data-drop-target="2"]')!
    expect(side.querySelector('[data-drop-target="1"]')).toBeNull()
    await fireEvent.dragOver(target, { dataTransfer })
    await fireEvent.drop(target, { dataTransfer })
    await settle()
    expect(api.callsOf('photos.move')).toEqual([{ photoIds: [1, 3], to: 2 }])
    expect(screen.getByText('Moved 2 photos to Group 2')).toBeTruthy()

    // Dragging a photo outside the selection drags that photo alone; Unsorted takes drops too.
    await fireEvent.click(tiles()[0]!)
    await fireEvent.dragStart(tiles()[1]!, { dataTransfer })
    await fireEvent.drop(side.querySelector('[data-drop-target="unsorted"]')!, { dataTransfer })
    await settle()
    expect(api.callsOf('photos.move')[1]).toEqual({ photoIds: [4], to: null })
  })

  test('splits a group into n parts', async () => {
    const { api } = await openGroup('Group 1')
    await fireEvent.click(screen.getByRole('button', { name: 'Split…' }))
    await fireEvent.input(screen.getByRole('spinbutton', { name: 'Number of parts' }), {
      target: { value: '3' },
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Split' }))
    await settle()
    expect(api.callsOf('clusters.split')).toEqual([{ clusterId: 1, parts: 3 }])
    expect(screen.getByRole('heading', { name: 'Groups' })).toBeTruthy()
    expect(screen.getAllByRole('article').filter((a) => a.dataset.clusterId)).toHaveLength(5)
  })

  test('shows the groups that look like it, and merges one into it with a click', async () => {
    const { api } = await openGroup('Group 1', [6, 4, 3], [[1, 3, 0.62]])
    const hints = screen.getByRole('region', { name: 'Groups that look like Group 1' })
    expect(within(hints).getByRole('button', { name: 'Open Group 3' }).textContent).toMatch(
      /Group 3 · 3 photos/,
    )
    expect(within(hints).queryByRole('button', { name: 'Open Group 2' })).toBeNull()
    expect(api.callsOf('clusters.lookalikes').at(-1)).toEqual({ clusterId: 1 })

    await fireEvent.click(within(hints).getByRole('button', { name: 'Merge Group 3 and Group 1' }))
    await settle()
    expect(api.callsOf('clusters.merge')).toEqual([{ clusterIds: [1, 3], into: 1 }])
    expect(screen.getByText('Merged Group 3 into Group 1')).toBeTruthy()
    expect(screen.getByRole('heading', { name: 'Group 1' })).toBeTruthy()
    expect(tiles()).toHaveLength(9)
    expect(screen.queryByRole('region', { name: 'Groups that look like Group 1' })).toBeNull()
  })

  test('"Not the same" stops a hint without moving anything', async () => {
    const { api } = await openGroup('Group 1', [6, 4, 3], [[1, 3, 0.62]])
    await fireEvent.click(
      screen.getByRole('button', { name: 'Group 3 is not the same kind as Group 1' }),
    )
    await settle()
    expect(api.callsOf('clusters.keepApart')).toEqual([{ clusterIds: [1, 3] }])
    expect(api.callsOf('clusters.merge')).toEqual([])
    expect(
      screen.getByText('Group 3 and Group 1 will not be suggested together again'),
    ).toBeTruthy()
    expect(screen.queryByRole('region', { name: 'Groups that look like Group 1' })).toBeNull()
    expect(tiles()).toHaveLength(6)
  })

  test('merging from the smaller group keeps the larger one and opens it', async () => {
    const { api } = await openGroup('Group 3', [6, 4, 3], [[1, 3, 0.62]])
    await fireEvent.click(screen.getByRole('button', { name: 'Merge Group 1 and Group 3' }))
    await settle()
    expect(api.callsOf('clusters.merge')).toEqual([{ clusterIds: [1, 3], into: 1 }])
    expect(screen.getByText('Merged Group 3 into Group 1')).toBeTruthy()
    expect(screen.getByRole('heading', { name: 'Group 1' })).toBeTruthy()
    expect(screen.queryByText(/That group no longer exists/)).toBeNull()
    expect(tiles()).toHaveLength(9)
  })

  test('opens a look-alike group, and shows no hints where there are none', async () => {
    await openGroup('Group 2', [6, 4, 3], [[1, 3, 0.62]])
    expect(screen.queryByRole('region', { name: /Groups that look like/ })).toBeNull()
    await fireEvent.click(screen.getByRole('button', { name: '← Groups' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Open Group 3' }))
    await settle()
    await fireEvent.click(screen.getByRole('button', { name: 'Open Group 1' }))
    await settle()
    expect(screen.getByRole('heading', { name: 'Group 1' })).toBeTruthy()
    expect(screen.getByRole('region', { name: 'Groups that look like Group 1' })).toBeTruthy()
  })

  test('goes back to the overview when the open group disappears', async () => {
    const { api } = await openGroup('Group 3')
    await api.invoke('clusters.merge', { clusterIds: [1, 3], into: 1 })
    api.emit({ type: 'clusters.changed' })
    await settle()
    expect(screen.getByRole('heading', { name: 'Groups' })).toBeTruthy()
    expect(screen.getByText(/That group no longer exists/)).toBeTruthy()
  })
})
