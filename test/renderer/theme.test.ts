// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/svelte'
import { afterEach, describe, expect, test } from 'vitest'
import { ThemeManager } from '../../src/renderer/src/lib/theme-manager.svelte'
import { renderApp, settle } from './render-app'

afterEach(() => {
  localStorage.clear()
  delete document.documentElement.dataset.theme
})

describe('Theme and help', () => {
  test('a picked theme applies to the page and is remembered; System forgets it', async () => {
    const { unmount } = await renderApp()
    const theme = screen.getByRole('combobox', { name: 'Theme' }) as HTMLSelectElement
    expect(theme.value).toBe('system')
    expect(document.documentElement.dataset.theme).toBeUndefined()
    await fireEvent.change(theme, { target: { value: 'dark' } })
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(localStorage.getItem('kindred.theme')).toBe('dark')
    unmount()

    // A new window starts with the remembered choice.
    delete document.documentElement.dataset.theme
    await renderApp()
    const again = screen.getByRole('combobox', { name: 'Theme' }) as HTMLSelectElement
    expect(again.value).toBe('dark')
    expect(document.documentElement.dataset.theme).toBe('dark')
    await fireEvent.change(again, { target: { value: 'system' } })
    expect(document.documentElement.dataset.theme).toBeUndefined()
    expect(localStorage.getItem('kindred.theme')).toBeNull()
  })

  test('a stored value that is not a theme is ignored', () => {
    localStorage.setItem('kindred.theme', 'neon')
    const manager = new ThemeManager()
    expect(manager.choice).toBe('system')
    expect(document.documentElement.dataset.theme).toBeUndefined()
  })

  test('the shortcut sheet opens with ? and from the top bar', async () => {
    await renderApp()
    await fireEvent.keyDown(window, { key: '?' })
    await settle()
    let dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' })
    expect(within(dialog).getByText('Undo the last edit')).toBeTruthy()
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }))
    await settle()
    expect(screen.queryByRole('dialog')).toBeNull()
    await fireEvent.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }))
    await settle()
    dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' })
    expect(dialog).toBeTruthy()
  })
})
