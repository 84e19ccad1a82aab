// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/svelte'
import { describe, expect, test } from 'vitest'
import { renderApp, settle } from './render-app'

function cards(): HTMLElement[] {
  return screen.getAllByRole('article').filter((a) => a.dataset.clusterId !== undefined)
}

function card(name: string): HTMLElement {
  return screen.getByRole('article', { name: `Group ${name}` })
}

describe('Groups overview', () => {
  test('shows one card per group with size and confidence, and the Unsorted bin', async () => {
    await renderApp({ sizes: [6, 4, 3], unsorted: 2 })
    expect(cards()).toHaveLength(3)
    expect(within(card('Group 1')).getByText('6 photos')).toBeTruthy()
    expect(within(card('Group 1')).getByText(/% sure/)).toBeTruthy()
    expect(card('Group 1').querySelectorAll('.thumbs img')).toHaveLength(4)
    const unsorted = screen.getByRole('article', { name: 'Unsorted' })
    expect(within(unsorted).getByText('2 photos')).toBeTruthy()
  })

  test('renames a group in place: click the name, type, Enter', async () => {
    const { api } = await renderApp()
    await fireEvent.click(
      within(card('Group 2')).getByRole('button', { name: /Group name: Group 2/ }),
    )
    const input = within(card('Group 2')).getByRole('textbox', { name: 'Group name' })
    await fireEvent.input(input, { target: { value: '  Cats ' } })
    await fireEvent.keyDown(input, { key: 'Enter' })
    await settle()
    expect(api.callsOf('clusters.rename')).toEqual([{ clusterId: 2, name: 'Cats' }])
    expect(card('Cats')).toBeTruthy()
    expect(screen.queryByRole('textbox', { name: 'Group name' })).toBeNull()
  })

  test('Escape cancels a rename and changes nothing', async () => {
    const { api } = await renderApp()
    await fireEvent.click(within(card('Group 1')).getByRole('button', { name: /Group name/ }))
    const input = within(card('Group 1')).getByRole('textbox', { name: 'Group name' })
    await fireEvent.input(input, { target: { value: 'Dogs' } })
    await fireEvent.keyDown(input, { key: 'Escape' })
    await settle()
    expect(api.callsOf('clusters.rename')).toEqual([])
    expect(card('Group 1')).toBeTruthy()
  })

  test('a card names the groups it looks like; clicking one selects both, ready to merge', async () => {
    const { api } = await renderApp({ sizes: [6, 4, 3], lookalikes: [[1, 3, 0.62]] })
    expect(api.callsOf('clusters.lookalikes')).toEqual([{}])
    expect(within(card('Group 2')).queryByText(/Looks like/)).toBeNull()
    expect(within(card('Group 1')).getByText(/Looks like/).textContent).toMatch(
      /Looks like\s+Group 3/,
    )
    await fireEvent.click(
      within(card('Group 3')).getByRole('button', { name: 'Select Group 3 and Group 1' }),
    )
    expect(
      cards()
        .filter((c) => c.classList.contains('selected'))
        .map((c) => c.dataset.clusterId),
    ).toEqual(['1', '3'])
    await fireEvent.click(screen.getByRole('button', { name: 'Merge 2 into “Group 1”' }))
    await settle()
    expect(api.callsOf('clusters.merge')).toEqual([{ clusterIds: [1, 3], into: 1 }])
    expect(cards()).toHaveLength(2)
    expect(screen.queryByText(/Looks like/)).toBeNull()
  })

  test('merges the groups selected with Ctrl-click into the largest one', async () => {
    const { api } = await renderApp({ sizes: [6, 4, 3] })
    await fireEvent.click(within(card('Group 2')).getByRole('button', { name: 'Open Group 2' }), {
      ctrlKey: true,
    })
    await fireEvent.click(within(card('Group 3')).getByRole('checkbox'))
    await fireEvent.click(within(card('Group 1')).getByRole('checkbox'))
    const merge = await screen.findByRole('button', { name: 'Merge 3 into “Group 1”' })
    await fireEvent.click(merge)
    await settle()
    expect(api.callsOf('clusters.merge')).toEqual([{ clusterIds: [1, 2, 3], into: 1 }])
    expect(cards()).toHaveLength(1)
    expect(within(card('Group 1')).getByText('13 photos')).toBeTruthy()
  })

  test('dropping one card on another merges it into the target', async () => {
    const { api } = await renderApp({ sizes: [6, 4, 3] })
    const store = new Map<string, string>()
    const dataTransfer = {
      types: ['application/x-kindred-group'],
      setData: (t: string, v: string) => store.set(t, v),
      getData: (t: string) => store.get(t) ?? '',
      effectAllowed: 'all',
    }
    await fireEvent.dragStart(card('Group 3'), { dataTransfer })
    await fireEvent.dragOver(card('Group 2'), { dataTransfer })
    await fireEvent.drop(card('Group 2'), { dataTransfer })
    await settle()
    expect(api.callsOf('clusters.merge')).toEqual([{ clusterIds: [2, 3], into: 2 }])
    expect(within(card('Group 2')).getByText('7 photos')).toBeTruthy()
  })

  test('Ctrl+Z undoes the last edit and Ctrl+Shift+Z redoes it; the buttons say what', async () => {
    const { api } = await renderApp()
    await fireEvent.click(within(card('Group 1')).getByRole('button', { name: /Group name/ }))
    const input = within(card('Group 1')).getByRole('textbox', { name: 'Group name' })
    await fireEvent.input(input, { target: { value: 'Boats' } })
    await fireEvent.keyDown(input, { key: 'Enter' })
    await settle()
    expect(screen.getByRole('button', { name: /Undo rename to “Boats”/ })).toBeTruthy()

    // Ctrl+Z inside a text field is the field's own undo, not the library's.
    await fireEvent.click(within(card('Boats')).getByRole('button', { name: /Group name/ }))
    await fireEvent.keyDown(within(card('Boats')).getByRole('textbox'), { key: 'z', ctrlKey: true })
    expect(api.callsOf('edits.undo')).toHaveLength(0)
    await fireEvent.keyDown(within(card('Boats')).getByRole('textbox'), { key: 'Escape' })

    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true })
    await settle()
    expect(api.callsOf('edits.undo')).toHaveLength(1)
    expect(card('Group 1')).toBeTruthy()
    expect(screen.getByRole('button', { name: /Redo rename to “Boats”/ })).toBeTruthy()

    await fireEvent.keyDown(document.body, { key: 'Z', ctrlKey: true, shiftKey: true })
    await settle()
    expect(api.callsOf('edits.redo')).toHaveLength(1)
    expect(card('Boats')).toBeTruthy()
  })

  test('an engine error is shown in words, not as a code', async () => {
    const { api } = await renderApp()
    api.failures.set('clusters.rename', 'That name is too long: use at most 120 characters.')
    await fireEvent.click(within(card('Group 1')).getByRole('button', { name: /Group name/ }))
    const input = within(card('Group 1')).getByRole('textbox', { name: 'Group name' })
    await fireEvent.input(input, { target: { value: 'x' } })
    await fireEvent.keyDown(input, { key: 'Enter' })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Could not rename: That name is too long')
  })

  test('with no groups yet it explains what to do', async () => {
    const { FakeApi } = await import('./fake-api')
    const { render } = await import('@testing-library/svelte')
    const App = (await import('../../src/renderer/src/App.svelte')).default
    const api = new FakeApi({ sizes: [], unsorted: 0 })
    render(App, { props: { api } })
    await fireEvent.click(await screen.findByRole('button', { name: 'Groups' }))
    expect(await screen.findByRole('heading', { name: 'No groups yet' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Organize now' })).toBeTruthy()
  })

  test('? lists the keyboard shortcuts and Alt+1 goes to the Library', async () => {
    await renderApp()
    await fireEvent.keyDown(document.body, { key: '?' })
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' })
    expect(within(dialog).getByText('Undo the last edit')).toBeTruthy()
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    await fireEvent.keyDown(document.body, { key: '1', altKey: true })
    expect(screen.getByRole('heading', { name: 'Library' })).toBeTruthy()
  })

  test('an engine crash shows a banner; after the restart the data is loaded again', async () => {
    const { api } = await renderApp()
    api.emit({ type: 'engine.crashed', reason: 'out of memory' })
    await settle()
    expect(screen.getByRole('alert').textContent).toContain('The engine stopped (out of memory)')
    const listed = api.callsOf('clusters.list').length
    api.emit({ type: 'engine.restarted' })
    await settle()
    expect(screen.queryByText(/The engine stopped/)).toBeNull()
    expect(api.callsOf('clusters.list').length).toBeGreaterThan(listed)
  })

  test('sorts the cards by name, confidence or size', async () => {
    const { api } = await renderApp({ sizes: [6, 4, 3] })
    await fireEvent.click(within(card('Group 3')).getByRole('button', { name: /Group name/ }))
    const input = within(card('Group 3')).getByRole('textbox', { name: 'Group name' })
    await fireEvent.input(input, { target: { value: 'Aardvarks' } })
    await fireEvent.keyDown(input, { key: 'Enter' })
    await settle()
    const names = () => cards().map((c) => c.getAttribute('aria-label'))
    expect(names()).toEqual(['Group Group 1', 'Group Group 2', 'Group Aardvarks'])
    await fireEvent.change(screen.getByRole('combobox', { name: 'Sort by' }), {
      target: { value: 'name' },
    })
    await settle()
    expect(api.callsOf('clusters.list').at(-1)).toEqual({ sort: 'name' })
    expect(names()).toEqual(['Group Aardvarks', 'Group Group 1', 'Group Group 2'])
  })
})
