/* eslint-disable svelte/prefer-svelte-reactivity -- the page cache is plain on purpose; one version signal tells readers a page arrived. */
/**
 * Photos (a group's members, Unsorted, or search results) loaded page by page as the grid
 * scrolls, so a group of 100,000 photos costs only the pages a person looks at.
 */
import type {
  ClusterId,
  ClusterMember,
  KindredApi,
  PhotoId,
  PhotoQuery,
} from '../../../shared/contract'
import { errorMessage } from './errors'

export const MEMBER_PAGE = 300

/** Loads one page: the items from `offset` and how many there are in all. */
export type PageLoader<T> = (
  offset: number,
  limit: number,
) => Promise<{ total: number; items: T[] }>

export class MemberList<T extends ClusterMember = ClusterMember> {
  #load: PageLoader<T>
  #pages = new Map<number, T[]>()
  #loading = new Map<number, Promise<void>>()
  #generation = 0
  total = $state(0)
  loaded = $state(false)
  error = $state<string | null>(null)
  /** Bumped when a page arrives: readers of `at()` depend on it. */
  #version = $state(0)

  constructor(load: PageLoader<T>) {
    this.#load = load
  }

  /** The members of a group, or of Unsorted (null), most confident first. */
  static ofGroup(api: KindredApi, clusterId: ClusterId | null): MemberList {
    return new MemberList(async (offset, limit) => {
      const { total, members } = await api.invoke('clusters.members', { clusterId, offset, limit })
      return { total, items: members }
    })
  }

  /** The photos matching a query. */
  static ofSearch(api: KindredApi, query: PhotoQuery) {
    return new MemberList(async (offset, limit) => {
      const { total, photos } = await api.invoke('photos.search', { ...query, offset, limit })
      return { total, items: photos }
    })
  }

  /** The member at this position, or undefined while its page is loading. */
  at(index: number): T | undefined {
    void this.#version
    return this.#pages.get(Math.floor(index / MEMBER_PAGE))?.[index % MEMBER_PAGE]
  }

  /** Drops everything and loads the first page again (after an edit). */
  async reload(): Promise<void> {
    this.#generation++
    this.#pages = new Map()
    this.#loading = new Map()
    await this.#loadPage(0)
    this.loaded = true
  }

  /** Makes sure the members in [start, end) are loaded or on their way. */
  ensure(start: number, end: number): Promise<void> {
    const first = Math.floor(Math.max(0, start) / MEMBER_PAGE)
    const last = Math.floor(Math.max(0, Math.min(end, this.total) - 1) / MEMBER_PAGE)
    const waits: Promise<void>[] = []
    // A failed page shows in `error`; scrolling on should not raise unhandled rejections.
    for (let page = first; page <= last; page++) waits.push(this.#loadPage(page).catch(() => {}))
    return Promise.all(waits).then(() => undefined)
  }

  /** The photo ids at these positions, loading any page not yet here. */
  async photoIds(indices: number[]): Promise<PhotoId[]> {
    const pages = new Set(indices.map((i) => Math.floor(i / MEMBER_PAGE)))
    await Promise.all([...pages].map((p) => this.#loadPage(p)))
    return indices.flatMap((i) => {
      const member = this.#pages.get(Math.floor(i / MEMBER_PAGE))?.[i % MEMBER_PAGE]
      return member ? [member.photoId] : []
    })
  }

  #loadPage(page: number): Promise<void> {
    if (this.#pages.has(page)) return Promise.resolve()
    const pending = this.#loading.get(page)
    if (pending) return pending
    const generation = this.#generation
    const promise = this.#load(page * MEMBER_PAGE, MEMBER_PAGE)
      .then(({ total, items }) => {
        if (generation !== this.#generation) return
        this.#pages.set(page, items)
        this.total = total
        this.error = null
        this.#version++
      })
      .catch((error: unknown) => {
        if (generation !== this.#generation) return
        this.error = errorMessage(error)
        throw error
      })
      .finally(() => {
        if (this.#loading.get(page) === promise) this.#loading.delete(page)
      })
    this.#loading.set(page, promise)
    return promise
  }
}
