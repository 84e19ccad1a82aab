// @vitest-environment jsdom
/** The folder field wherever it appears: typed or picked, and what is wrong said beside it. */
import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { describe, expect, test } from 'vitest'
import App from '../../src/renderer/src/App.svelte'
import { FakeApi } from './fake-api'
import { settle } from './render-app'

async function renderDesktop() {
  const api = new FakeApi()
  render(App, { props: { api, nativeDialogs: true } })
  await screen.findByRole('heading', { name: 'Groups' })
  return api
}

describe('Folder path field', () => {
  test('in the Library, a picked folder is added at once; a closed chooser adds nothing', async () => {
    const api = await renderDesktop()
    await fireEvent.click(screen.getByRole('button', { name: 'Library' }))
    api.pickFolder = async () => null
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await settle()
    expect(api.callsOf('library.addFolder')).toEqual([])

    api.pickFolder = async () => '/media/camera/DCIM'
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await settle()
    expect(api.callsOf('library.addFolder')).toEqual([{ path: '/media/camera/DCIM' }])
    expect(screen.getByText('Added /media/camera/DCIM. Reading its photos…')).toBeTruthy()
    // The import shows at once, before its first progress event.
    expect(screen.getByText('Importing…', { selector: '.busy' })).toBeTruthy()
  })

  test('a folder that cannot be added is said beside the field, and typing clears it', async () => {
    const api = await renderDesktop()
    api.failures.set('library.addFolder', 'Folder not found: /media/gone')
    await fireEvent.click(screen.getByRole('button', { name: 'Library' }))
    api.pickFolder = async () => '/media/gone'
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await settle()
    const field = screen.getByRole('textbox', { name: 'Add a photo folder' })
    const error = screen.getByRole('alert')
    expect(error.textContent).toBe('Could not add /media/gone: Folder not found: /media/gone')
    expect(field.getAttribute('aria-describedby')).toBe(error.id)
    await fireEvent.input(field, { target: { value: '/media/x' } })
    expect(screen.queryByRole('alert')).toBeNull()
    expect(field.getAttribute('aria-invalid')).toBe('false')
  })

  test('in the export dialog, a picked folder fills the destination', async () => {
    const api = await renderDesktop()
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }))
    const dialog = screen.getByRole('dialog', { name: 'Export groups to folders' })
    api.pickFolder = async () => '/home/me/Sorted'
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Choose…' }))
    await settle()
    const field = within(dialog).getByRole('textbox', { name: 'Destination folder' })
    expect(field).toHaveProperty('value', '/home/me/Sorted')
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }))
    await settle()
    expect(api.callsOf('export.plan')[0]?.destination).toBe('/home/me/Sorted')
  })

  test('a folder chooser that fails is said, not thrown', async () => {
    const api = await renderDesktop()
    await fireEvent.click(screen.getByRole('button', { name: 'Library' }))
    api.pickFolder = () => Promise.reject(new Error('The portal is not running'))
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await settle()
    expect(
      screen.getByText(/Could not open the folder chooser: The portal is not running/),
    ).toBeTruthy()
    expect(api.callsOf('library.addFolder')).toEqual([])
  })

  test('without a system chooser (a browser), the path is typed', async () => {
    render(App, { props: { api: new FakeApi(), nativeDialogs: false } })
    await screen.findByRole('heading', { name: 'Groups' })
    await fireEvent.click(screen.getByRole('button', { name: 'Library' }))
    expect(screen.getByRole('textbox', { name: 'Add a photo folder' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Choose…' })).toBeNull()
  })
})
