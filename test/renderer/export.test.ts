// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/svelte'
import { describe, expect, test } from 'vitest'
import { renderApp, settle } from './render-app'

async function openExport() {
  const rendered = await renderApp({ sizes: [6, 4, 3], unsorted: 2 })
  await fireEvent.click(screen.getByRole('button', { name: 'Export…' }))
  const dialog = screen.getByRole('dialog', { name: 'Export groups to folders' })
  return { ...rendered, dialog }
}

describe('Export dialog', () => {
  test('previews what a dry run would write, with counts per folder', async () => {
    const { api, dialog } = await openExport()
    const input = within(dialog).getByRole('textbox', { name: 'Destination folder' })
    await fireEvent.input(input, { target: { value: '/home/me/Sorted' } })
    await fireEvent.click(within(dialog).getByRole('radio', { name: /Hard link/ }))
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: /Unsorted/ }))
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    await settle()
    expect(api.callsOf('export.plan')).toEqual([
      { destination: '/home/me/Sorted', mode: 'hardlink', includeUnsorted: true },
    ])
    const preview = within(dialog).getByRole('region', { name: 'Export preview' })
    expect(preview.textContent).toContain('15 files')
    expect(preview.textContent).toContain('4 folders')
    const rows = within(preview).getAllByRole('row').slice(1)
    expect(rows.map((r) => r.textContent)).toEqual([
      'Group 16',
      'Group 24',
      'Group 33',
      'Unsorted2',
    ])
    expect(api.callsOf('export.start')).toEqual([])
  })

  test('changing an option makes the preview stale', async () => {
    const { dialog } = await openExport()
    const input = within(dialog).getByRole('textbox', { name: 'Destination folder' })
    await fireEvent.input(input, { target: { value: '/out' } })
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    await settle()
    expect(within(dialog).queryByRole('region', { name: 'Export preview' })).not.toBeNull()
    await fireEvent.click(within(dialog).getByRole('radio', { name: /Move/ }))
    expect(within(dialog).queryByRole('region', { name: 'Export preview' })).toBeNull()
  })

  test('shows a bad destination as a sentence', async () => {
    const { dialog } = await openExport()
    await fireEvent.input(within(dialog).getByRole('textbox', { name: 'Destination folder' }), {
      target: { value: 'relative' },
    })
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    await settle()
    expect(within(dialog).getByRole('alert').textContent).toBe(
      'The destination must be a full path.',
    )
  })

  test('runs a move with a progress bar, then undoes it', async () => {
    const { api, dialog } = await openExport()
    await fireEvent.input(within(dialog).getByRole('textbox', { name: 'Destination folder' }), {
      target: { value: '/out' },
    })
    await fireEvent.click(within(dialog).getByRole('radio', { name: /Move/ }))
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    await settle()
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Move 13 files' }))
    await settle()
    const jobId = 1
    api.emit({
      type: 'progress',
      progress: { status: 'started', jobId, kind: 'export', stage: 'export', total: 13 },
    })
    api.emit({
      type: 'progress',
      progress: {
        status: 'progress',
        jobId,
        kind: 'export',
        stage: 'export',
        done: 5,
        total: 13,
        rate: 10,
        etaSeconds: 1,
      },
    })
    await settle()
    expect(within(dialog).getByText(/Writing 5 of 13 files/).textContent).toMatch(
      /10 files\/s · 1 s left/,
    )
    expect((within(dialog).getByRole('progressbar') as HTMLProgressElement).value).toBeCloseTo(
      5 / 13,
    )
    api.emit({ type: 'progress', progress: { status: 'done', jobId, kind: 'export', seconds: 2 } })
    await settle()
    expect(within(dialog).getByText(/Export finished/).textContent).toBe(
      'Export finished. Took 2 s.',
    )
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Undo this move' }))
    await settle()
    expect(api.callsOf('export.undo')).toEqual([{ exportId: 1 }])
    expect(screen.getByText(/Moved 13 files back from \/out/)).toBeTruthy()
  })

  test('exports only the groups selected in the overview', async () => {
    const { api } = await renderApp({ sizes: [6, 4, 3], unsorted: 2 })
    const group2 = screen.getByRole('article', { name: 'Group Group 2' })
    await fireEvent.click(within(group2).getByRole('checkbox'))
    await fireEvent.click(screen.getByRole('button', { name: 'Export selected…' }))
    const dialog = screen.getByRole('dialog', { name: 'Export groups to folders' })
    expect(within(dialog).getByRole('checkbox', { name: /Only the selected group/ })).toBeTruthy()
    await fireEvent.input(within(dialog).getByRole('textbox', { name: 'Destination folder' }), {
      target: { value: '/out' },
    })
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    await settle()
    expect(api.callsOf('export.plan')).toEqual([
      { destination: '/out', mode: 'copy', includeUnsorted: false, clusterIds: [2] },
    ])
    const preview = within(dialog).getByRole('region', { name: 'Export preview' })
    expect(
      within(preview)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual(['Group 24'])
  })

  test('offers resume and undo for an export that was interrupted, and resumes it', async () => {
    const rendered = await renderApp({ sizes: [6, 4, 3], unsorted: 2 })
    rendered.api.exports.push({
      id: 1,
      destination: '/media/usb/Sorted',
      mode: 'move',
      state: 'interrupted',
      files: 13,
      placed: 5,
      error: 'The export stopped before it ended: resume or undo it.',
      startedAt: Date.now(),
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }))
    const dialog = screen.getByRole('dialog', { name: 'Export groups to folders' })
    await settle()
    const entry = within(dialog)
      .getByText(/interrupted/)
      .closest('li')!
    expect(entry.textContent).toContain('5 done')
    expect(within(entry).getByRole('button', { name: 'Undo' })).not.toBeNull()
    await fireEvent.click(within(entry).getByRole('button', { name: 'Resume' }))
    await settle()
    expect(rendered.api.callsOf('export.resume')).toEqual([{ exportId: 1 }])
  })

  test('names folders by a pattern, with a live example, and refuses a bad one', async () => {
    const { api, dialog } = await openExport()
    const pattern = within(dialog).getByRole('textbox', { name: 'Folder names' })
    expect((pattern as HTMLInputElement).value).toBe('{group}')
    await settle()
    expect(within(dialog).getByText('For example:').textContent).toBe('For example: Group 1')
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Month, then group' }))
    await settle()
    expect((pattern as HTMLInputElement).value).toBe('{year}-{month} {group}')
    expect(within(dialog).getByText('For example:').textContent).toBe(
      'For example: 2024-06 Group 1',
    )
    await fireEvent.input(within(dialog).getByRole('textbox', { name: 'Destination folder' }), {
      target: { value: '/out' },
    })
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    await settle()
    expect(api.callsOf('export.plan')).toEqual([
      {
        destination: '/out',
        mode: 'copy',
        includeUnsorted: false,
        folderPattern: '{year}-{month} {group}',
      },
    ])
    // A bad pattern: the engine's reason shows at once, and nothing can be previewed.
    await fireEvent.input(pattern, { target: { value: '{year}/{group}' } })
    await settle()
    expect(within(dialog).getByText(/cannot contain/).textContent).toBe(
      'It cannot contain / or \\.',
    )
    expect(pattern.getAttribute('aria-invalid')).toBe('true')
    expect(
      (within(dialog).getByRole('button', { name: 'Preview' }) as HTMLButtonElement).disabled,
    ).toBe(true)
    expect(within(dialog).queryByRole('region', { name: 'Export preview' })).toBeNull()
  })
})
