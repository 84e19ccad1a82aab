// @vitest-environment jsdom
/**
 * Each edit and each job end reloads what it changed exactly once: the engine's change event is
 * the only trigger, so the commands the renderer sends are counted here, edit by edit.
 */
import { fireEvent, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { Progress } from '../../src/shared/jobs'
import type { FakeApi } from './fake-api'
import { fakeViewport } from './layout'
import { renderApp, settle } from './render-app'

let restore: () => void
beforeEach(() => {
  restore = fakeViewport(800, 600)
})
afterEach(() => restore())

/** How many times each command was sent while `action` ran and the app settled after it. */
async function commandsDuring(
  api: FakeApi,
  action: () => Promise<unknown>,
): Promise<Record<string, number>> {
  await settle()
  const from = api.calls.length
  await action()
  await settle()
  const counts: Record<string, number> = {}
  for (const { command } of api.calls.slice(from)) counts[command] = (counts[command] ?? 0) + 1
  return counts
}

function card(name: string): HTMLElement {
  return screen.getByRole('article', { name: `Group ${name}` })
}

function tiles(): HTMLElement[] {
  return within(screen.getByRole('listbox')).getAllByRole('option')
}

async function renameCard(name: string, to: string): Promise<void> {
  await fireEvent.click(within(card(name)).getByRole('button', { name: /Group name/ }))
  const input = within(card(name)).getByRole('textbox', { name: 'Group name' })
  await fireEvent.input(input, { target: { value: to } })
  await fireEvent.keyDown(input, { key: 'Enter' })
}

async function openGroup(name: string): Promise<void> {
  await fireEvent.click(screen.getByRole('button', { name: `Open ${name}` }))
  await settle()
}

const undo = () => fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true })

/** On the overview, an edit reloads the groups, the doubtful count and the look-alikes, once each. */
const ON_OVERVIEW = { 'clusters.list': 1, 'photos.search': 1, 'clusters.lookalikes': 1 }
/** In a group, an edit reloads the groups, the open group's photos and its look-alikes, once each. */
const IN_GROUP = { 'clusters.list': 1, 'clusters.members': 1, 'clusters.lookalikes': 1 }

describe('one reload per change', () => {
  test('rename, merge and undo on the overview', async () => {
    const { api } = await renderApp({ sizes: [6, 4, 3], unsorted: 2 })

    const renamed = await commandsDuring(api, () => renameCard('Group 2', 'Cats'))
    expect(renamed).toEqual({ 'clusters.rename': 1, ...ON_OVERVIEW })
    expect(card('Cats')).toBeTruthy()

    const merged = await commandsDuring(api, async () => {
      await fireEvent.click(within(card('Group 3')).getByRole('checkbox'))
      await fireEvent.click(within(card('Group 1')).getByRole('checkbox'))
      await fireEvent.click(screen.getByRole('button', { name: /^Merge 2 into/ }))
    })
    expect(merged).toEqual({ 'clusters.merge': 1, ...ON_OVERVIEW })
    expect(within(card('Group 1')).getByText('9 photos')).toBeTruthy()

    const undone = await commandsDuring(api, undo)
    expect(undone).toEqual({ 'edits.undo': 1, ...ON_OVERVIEW })
    expect(within(card('Group 1')).getByText('6 photos')).toBeTruthy()
    expect(card('Group 3')).toBeTruthy()
  })

  test('rename, move and undo in an open group', async () => {
    const { api } = await renderApp({ sizes: [6, 4, 3], unsorted: 2 })
    await openGroup('Group 1')

    const renamed = await commandsDuring(api, async () => {
      await fireEvent.click(screen.getByRole('button', { name: /Group name: Group 1/ }))
      const input = screen.getByRole('textbox', { name: 'Group name' })
      await fireEvent.input(input, { target: { value: 'Boats' } })
      await fireEvent.keyDown(input, { key: 'Enter' })
    })
    expect(renamed).toEqual({ 'clusters.rename': 1, ...IN_GROUP })
    expect(screen.getByRole('heading', { name: /Boats/ })).toBeTruthy()

    const moved = await commandsDuring(api, async () => {
      await fireEvent.click(tiles()[0]!)
      await fireEvent.change(screen.getByRole('combobox', { name: 'Move selected photos to' }), {
        target: { value: '2' },
      })
      await fireEvent.click(screen.getByRole('button', { name: 'Move' }))
    })
    expect(moved).toEqual({ 'photos.move': 1, ...IN_GROUP })
    expect(tiles()).toHaveLength(5)

    const undone = await commandsDuring(api, undo)
    expect(undone).toEqual({ 'edits.undo': 1, ...IN_GROUP })
    expect(tiles()).toHaveLength(6)
  })

  test('a split reloads the groups and the open group once, then shows the overview', async () => {
    const { api } = await renderApp({ sizes: [6, 4, 3], unsorted: 2 })
    await openGroup('Group 1')
    const split = await commandsDuring(api, async () => {
      await fireEvent.click(screen.getByRole('button', { name: 'Split…' }))
      await fireEvent.input(screen.getByRole('spinbutton', { name: 'Number of parts' }), {
        target: { value: '2' },
      })
      await fireEvent.click(screen.getByRole('button', { name: 'Split' }))
    })
    // The engine's announcement comes before the split's answer: the open group reloads once,
    // then the overview opens and counts the doubtful photos and finds the look-alikes once.
    expect(split).toEqual({
      'clusters.split': 1,
      ...IN_GROUP,
      'photos.search': 1,
      'clusters.lookalikes': 2,
    })
    expect(screen.getByRole('heading', { name: 'Groups' })).toBeTruthy()
    expect(screen.getAllByRole('article').filter((a) => a.dataset.clusterId)).toHaveLength(4)
  })

  test('a job end reloads what the job changed, once', async () => {
    const { api } = await renderApp({ sizes: [6, 4, 3], unsorted: 2 })
    const end = (jobId: number, kind: Progress['kind']) => async () =>
      api.emit({ type: 'progress', progress: { status: 'done', jobId, kind, seconds: 1 } })
    const LIBRARY = { 'library.summary': 1, 'library.failures': 1 }

    // The overview is open: new groups also change how many photos are doubtful.
    expect(await commandsDuring(api, end(1, 'organize'))).toEqual({ ...LIBRARY, ...ON_OVERVIEW })
    expect(await commandsDuring(api, end(2, 'import'))).toEqual(LIBRARY)
    expect(await commandsDuring(api, end(3, 'assign'))).toEqual(ON_OVERVIEW)
    expect(await commandsDuring(api, end(4, 'install-model'))).toEqual({ 'engine.info': 1 })

    const failed = await commandsDuring(api, async () =>
      api.emit({
        type: 'progress',
        progress: { status: 'failed', jobId: 5, kind: 'organize', error: 'Out of memory.' },
      }),
    )
    expect(failed).toEqual({ ...LIBRARY, ...ON_OVERVIEW })
    expect(screen.getByText(/The organize job failed: Out of memory/)).toBeTruthy()
  })
})
