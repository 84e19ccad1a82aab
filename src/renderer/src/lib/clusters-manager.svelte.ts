/**
 * The current run's groups, the Unsorted count, and the edits that change them. An edit does not
 * reload the groups itself: the engine announces every change (`clusters.changed`), and that
 * announcement alone reloads them, once, whoever made the change.
 */
import type {
  ClusterId,
  ClusterSort,
  ClusterSummary,
  KindredApi,
  PhotoId,
} from '../../../shared/contract'

export class ClustersManager {
  #api: KindredApi
  sort = $state<ClusterSort>('size')
  clusters = $state.raw<ClusterSummary[]>([])
  unsorted = $state(0)
  loaded = $state(false)
  /** Bumped on every change, so open member lists know to reload. */
  version = $state(0)
  /** Which refresh is the newest: an older answer arriving late must not overwrite it. */
  #latest = 0

  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt whole on each change
  readonly byId = $derived(new Map(this.clusters.map((c) => [c.id, c])))
  readonly totalPhotos = $derived(this.clusters.reduce((sum, c) => sum + c.size, 0) + this.unsorted)

  constructor(api: KindredApi) {
    this.#api = api
  }

  nameOf(id: ClusterId | null): string {
    if (id === null) return 'Unsorted'
    return this.byId.get(id)?.name ?? `Group ${id}`
  }

  async refresh(): Promise<void> {
    const request = ++this.#latest
    const { clusters, unsorted } = await this.#api.invoke('clusters.list', { sort: this.sort })
    if (request !== this.#latest) return
    this.clusters = clusters
    this.unsorted = unsorted
    this.loaded = true
    this.version++
  }

  async setSort(sort: ClusterSort): Promise<void> {
    this.sort = sort
    await this.refresh()
  }

  async rename(clusterId: ClusterId, name: string): Promise<void> {
    const trimmed = name.trim()
    if (trimmed === '' || trimmed === this.byId.get(clusterId)?.name) return
    await this.#api.invoke('clusters.rename', { clusterId, name: trimmed })
  }

  /** Merges the groups into the one that is kept. */
  async merge(clusterIds: ClusterId[], into: ClusterId): Promise<void> {
    const others = clusterIds.filter((id) => id !== into)
    if (others.length === 0) return
    await this.#api.invoke('clusters.merge', { clusterIds: [into, ...others], into })
  }

  async split(clusterId: ClusterId, parts: number): Promise<ClusterId[]> {
    const { clusterIds } = await this.#api.invoke('clusters.split', { clusterId, parts })
    return clusterIds
  }

  /**
   * For each group, the groups that may be the same kind, most alike first: of every group, or
   * (with `clusterId`) of that one.
   */
  async lookalikes(clusterId?: ClusterId): Promise<Map<ClusterId, ClusterSummary[]>> {
    const args = clusterId === undefined ? {} : { clusterId }
    const pairs = await this.#api.invoke('clusters.lookalikes', args)
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a plain result, not state
    const alike = new Map<ClusterId, ClusterSummary[]>()
    for (const [a, b] of pairs.map((p) => p.clusterIds)) {
      for (const [id, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const summary = this.byId.get(other)
        if (summary) alike.set(id, [...(alike.get(id) ?? []), summary])
      }
    }
    return alike
  }

  /** Two groups are not the same kind: they are no longer suggested together. */
  async keepApart(a: ClusterId, b: ClusterId): Promise<void> {
    await this.#api.invoke('clusters.keepApart', { clusterIds: [a, b] })
  }

  async move(photoIds: PhotoId[], to: ClusterId | null): Promise<void> {
    if (photoIds.length === 0) return
    await this.#api.invoke('photos.move', { photoIds, to })
  }
}

/**
 * The group a merge keeps: one a person named (its name is what they want to keep), else the
 * largest.
 */
export function mergeTarget(clusters: ClusterSummary[]): ClusterSummary | undefined {
  return clusters.reduce<ClusterSummary | undefined>((best, c) => {
    if (!best) return c
    if (c.named !== best.named) return c.named ? c : best
    return c.size > best.size ? c : best
  }, undefined)
}
