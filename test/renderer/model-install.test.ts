// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { describe, expect, test } from 'vitest'
import App from '../../src/renderer/src/App.svelte'
import type { Progress } from '../../src/shared/jobs'
import { FakeApi } from './fake-api'
import { settle } from './render-app'

/** The app over an engine without the model, on the Organize screen. */
async function organizeWithoutModel(nativeDialogs: boolean) {
  const api = new FakeApi()
  api.modelInstalled = false
  render(App, { props: { api, nativeDialogs } })
  await screen.findByRole('heading', { name: 'Groups' })
  await fireEvent.click(screen.getByRole('button', { name: 'Organize' }))
  await settle()
  const send = (progress: Progress) => api.emit({ type: 'progress', progress })
  return { api, send }
}

const organizeButton = () => screen.getByRole('button', { name: /^Organize \d+ photos/ })

describe('Installing the model from the Organize screen', () => {
  test('installs from a chosen folder with a progress bar, then enables organizing', async () => {
    const { api, send } = await organizeWithoutModel(true)
    expect(screen.getByTestId('engine-info').textContent).toContain('model not installed')
    expect(organizeButton()).toHaveProperty('disabled', true)
    const install = screen.getByRole('button', { name: 'Install' })
    expect(install).toHaveProperty('disabled', true)

    api.pickFolder = async () => '/media/usb/models'
    await fireEvent.click(screen.getByRole('button', { name: 'Choose folder…' }))
    await settle()
    expect(screen.getByRole('textbox', { name: 'Install from' })).toHaveProperty(
      'value',
      '/media/usb/models',
    )
    await fireEvent.click(install)
    await settle()
    expect(api.callsOf('models.install')).toEqual([{ from: '/media/usb/models' }])

    const job = { jobId: 1, kind: 'install-model', stage: 'install-model' } as const
    send({ status: 'started', ...job, total: 0 })
    send({ status: 'progress', ...job, done: 4e6, total: 8e6, rate: 2e6, etaSeconds: 2 })
    await settle()
    const progress = screen.getByRole('group', { name: 'Installing the model' })
    expect(progress.textContent).toContain('50%')
    expect(progress.textContent).toContain('4.0 MB of 8.0 MB')
    expect(progress.textContent).toContain('2.0 MB/s')
    expect(progress.textContent).toContain('2 s left')
    const bar = within(progress).getByRole('progressbar', { name: 'Model install progress' })
    expect(bar).toHaveProperty('value', 0.5)
    await fireEvent.click(within(progress).getByRole('button', { name: 'Cancel' }))
    expect(api.callsOf('jobs.cancel')).toEqual([{ jobId: 1 }])

    api.modelInstalled = true
    send({ status: 'progress', ...job, done: 8e6, total: 8e6, rate: 2e6, etaSeconds: 0 })
    send({ status: 'stage-done', ...job, seconds: 4 })
    send({ status: 'done', jobId: 1, kind: 'install-model', seconds: 4 })
    api.emit({ type: 'models.changed' })
    await settle()
    expect(screen.queryByRole('textbox', { name: 'Install from' })).toBeNull()
    expect(screen.getByTestId('engine-info').textContent).not.toContain('model not installed')
    expect(organizeButton()).toHaveProperty('disabled', false)
    expect(screen.getByText(/The model is installed/)).toBeTruthy()
  })

  test('a typed web address is installed; a failed install says why in words', async () => {
    const { api, send } = await organizeWithoutModel(false)
    expect(screen.queryByRole('button', { name: 'Choose folder…' })).toBeNull()
    await fireEvent.input(screen.getByRole('textbox', { name: 'Install from' }), {
      target: { value: '  https://example.org/models/  ' },
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Install' }))
    await settle()
    expect(api.callsOf('models.install')).toEqual([{ from: 'https://example.org/models/' }])

    const error = 'Could not install the model: https://example.org/models/x.npy answered HTTP 404'
    send({ status: 'failed', jobId: 1, kind: 'install-model', error })
    await settle()
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent)
    expect(alerts).toContain(error)
    // Still not installed: the form stays, ready for another try, and organizing stays off.
    expect(screen.getByRole('button', { name: 'Install' })).toHaveProperty('disabled', false)
    expect(organizeButton()).toHaveProperty('disabled', true)
  })

  test('a refused source is shown as a notice and nothing starts', async () => {
    const { api } = await organizeWithoutModel(false)
    api.failures.set('models.install', `Give the folder's full path or a web address (not "m").`)
    await fireEvent.input(screen.getByRole('textbox', { name: 'Install from' }), {
      target: { value: 'm' },
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Install' }))
    await settle()
    expect(
      screen.getByText(/Could not install the model: Give the folder's full path/),
    ).toBeTruthy()
    expect(screen.queryByRole('group', { name: 'Installing the model' })).toBeNull()
  })

  test('is not shown when the model is installed', async () => {
    const api = new FakeApi()
    render(App, { props: { api } })
    await screen.findByRole('heading', { name: 'Groups' })
    await fireEvent.click(screen.getByRole('button', { name: 'Organize' }))
    await settle()
    expect(screen.queryByRole('heading', { name: 'Install the model first' })).toBeNull()
    expect(organizeButton()).toHaveProperty('disabled', false)
  })
})
