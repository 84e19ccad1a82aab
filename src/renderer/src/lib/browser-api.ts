/**
 * Browser mode's KindredApi (see docs/browser-mode.md): commands are `POST /api/<command>`
 * with JSON, events arrive on the `/api/events` WebSocket, photos are served at
 * `/photos/<id>/<kind>`. The server's cookie authenticates all three.
 */
import type {
  CommandArgs,
  CommandError,
  CommandName,
  CommandResult,
  EngineEvent,
  KindredApi,
  PhotoKind,
  WireEvent,
  WireResponse,
} from '../../../shared/contract'

type Listener = (event: EngineEvent) => void

interface Place {
  protocol: string
  host: string
}

export async function connectBrowserApi(place: Place): Promise<KindredApi> {
  return new BrowserApi(place)
}

export class BrowserApi implements KindredApi {
  #listeners = new Set<Listener>()
  #socket: WebSocket | null = null
  #retryMs = 500
  #connectedBefore = false
  #eventsUrl: string

  constructor(place: Place) {
    this.#eventsUrl = `${place.protocol === 'https:' ? 'wss' : 'ws'}://${place.host}/api/events`
  }

  async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    let response: Response
    try {
      response = await fetch(`/api/${command}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(args ?? {}),
      })
    } catch {
      throw commandError(
        'engine-unavailable',
        'Kindred’s server cannot be reached. Is it still running?',
      )
    }
    if (response.status === 401) {
      throw commandError(
        'failed',
        'This page is not authorised: open the link that “kindred serve” printed.',
      )
    }
    let body: WireResponse<C>
    try {
      body = (await response.json()) as WireResponse<C>
    } catch {
      throw commandError(
        'failed',
        `The server answered ${response.status} without a readable reply.`,
      )
    }
    if (!body.ok) throw commandError(body.error.code, body.error.message)
    return body.result
  }

  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener)
    this.#connect()
    return () => {
      this.#listeners.delete(listener)
      if (this.#listeners.size === 0) this.#close()
    }
  }

  photoUrl(photoId: number, kind: PhotoKind): string {
    return `/photos/${photoId}/${kind}`
  }

  async pickFolder(): Promise<string | null> {
    return null
  }

  #connect(): void {
    if (this.#socket) return
    const socket = new WebSocket(this.#eventsUrl)
    this.#socket = socket
    socket.onopen = () => {
      this.#retryMs = 500
      // Events sent while the socket was down are lost: have the UI query everything again.
      if (this.#connectedBefore) this.#dispatch({ type: 'engine.restarted' })
      this.#connectedBefore = true
    }
    socket.onmessage = (message) => {
      if (typeof message.data !== 'string') return
      let event: WireEvent
      try {
        event = JSON.parse(message.data) as WireEvent
      } catch {
        return
      }
      this.#dispatch(event)
    }
    socket.onclose = () => {
      if (this.#socket !== socket) return
      this.#socket = null
      if (this.#listeners.size === 0) return
      // The server may be restarting: try again, backing off up to 10 s.
      setTimeout(() => this.#connect(), this.#retryMs)
      this.#retryMs = Math.min(10_000, this.#retryMs * 2)
    }
  }

  #dispatch(event: EngineEvent): void {
    for (const listener of this.#listeners) listener(event)
  }

  #close(): void {
    const socket = this.#socket
    this.#socket = null
    socket?.close()
  }
}

function commandError(code: CommandError['code'], message: string): Error & CommandError {
  return Object.assign(new Error(message), { code })
}
