/**
 * Entry point. In Electron the preload provides the API as `window.kindred` (and native dialogs);
 * in browser mode (`kindred serve`) the page talks to the server over HTTP and WebSocket.
 */
import { mount } from 'svelte'
import type { KindredApi } from '../../shared/contract'
import App from './App.svelte'
import './app.css'
import { connectBrowserApi } from './lib/browser-api'

declare global {
  interface Window {
    kindred?: KindredApi
  }
}

async function start(): Promise<void> {
  const target = document.getElementById('app')!
  try {
    const native = window.kindred
    const api = native ?? (await connectBrowserApi(window.location))
    mount(App, { target, props: { api, nativeDialogs: native !== undefined } })
  } catch (error) {
    target.textContent = `Kindred could not connect to its engine: ${
      error instanceof Error ? error.message : String(error)
    }`
  }
}

void start()
