/** What a photo tile says about where a photo sits, beyond its group. */
import type { ClusterId, ClusterMember } from '../../../shared/contract'

type NameOf = (id: ClusterId | null) => string

/** The group a doubtful photo almost went to. */
export function doubtfulRunnerUp(member: ClusterMember | undefined, nameOf: NameOf): string | null {
  return member?.doubtful ? nameOf(member.runnerUp) : null
}

/** Why a photo is in Unsorted, in words; the closest group for one that fits none. */
export function unsortedNote(member: ClusterMember | undefined, nameOf: NameOf): string | null {
  if (!member?.unsortedReason) return null
  if (member.unsortedReason === 'moved') return 'Moved here by you'
  if (member.unsortedReason === 'not-organized') return 'Not organized yet'
  const closest = member.runnerUp === null ? '' : ` · closest: ${nameOf(member.runnerUp)}`
  return `Doesn’t look like any group${closest}`
}
