/** Renders the whole app over a FakeApi and waits until the first data is on screen. */
import { render, screen } from '@testing-library/svelte'
import App from '../../src/renderer/src/App.svelte'
import { FakeApi, type FakeOptions } from './fake-api'

export async function renderApp(options?: FakeOptions) {
  const api = new FakeApi(options)
  const result = render(App, { props: { api } })
  await screen.findByRole('heading', { name: 'Groups' })
  return { api, ...result }
}

/** Svelte's effects and the fake's promises settle within a few microtask turns. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0))
}
