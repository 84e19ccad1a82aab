// @vitest-environment jsdom
import { fireEvent, screen } from '@testing-library/svelte'
import { describe, expect, test } from 'vitest'
import { renderApp, settle } from './render-app'

describe('Watched folders in the app', () => {
  test('the Library switches watching a folder off and on', async () => {
    const { api } = await renderApp({ sizes: [3, 2] })
    await fireEvent.click(screen.getByRole('button', { name: 'Library' }))
    await settle()
    const toggle = screen.getByRole('checkbox', { name: 'Watch /photos for new photos' })
    expect(toggle).toHaveProperty('checked', true)
    await fireEvent.click(toggle)
    await settle()
    expect(api.callsOf('library.watchFolder')).toEqual([{ folderId: 1, watch: false }])
    expect(screen.getByRole('checkbox', { name: 'Watch /photos for new photos' })).toHaveProperty(
      'checked',
      false,
    )
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Watch /photos for new photos' }))
    await settle()
    expect(api.callsOf('library.watchFolder').at(-1)).toEqual({ folderId: 1, watch: true })
  })

  test('what watching picked up is said in a notice', async () => {
    const { api } = await renderApp({ sizes: [3, 2] })
    api.emit({
      type: 'library.watched',
      report: {
        added: 3,
        grouped: 3,
        unsorted: 0,
        changed: 0,
        moved: 0,
        missing: 1,
        failed: 0,
        message: '3 new photos added to groups, 1 missing',
      },
    })
    await settle()
    expect(screen.getByRole('status').textContent).toContain(
      '3 new photos added to groups, 1 missing',
    )
  })
})
