import fs from 'node:fs'

/**
 * statfs magic numbers of Linux network and FUSE file systems. Changes made on another machine
 * (or through some FUSE drivers) raise no inotify event here: such folders are polled.
 */
const NETWORK_FILE_SYSTEMS = new Set([
  0x6969, // nfs
  0x517b, // smb
  0xff534d42, // cifs
  0xfe534d42, // smb2
  0x65735546, // fuse (sshfs, rclone, gvfs)
  0x01021997, // 9p
  0x5346414f, // afs
  0x00c36400, // ceph
  0x564c, // ncp
])

/** True when `folder` is on a network drive, where the OS does not report every change. */
export function isOnNetworkDrive(folder: string): boolean {
  if (process.platform !== 'linux') return false
  try {
    return NETWORK_FILE_SYSTEMS.has(fs.statfsSync(folder).type)
  } catch {
    return false
  }
}
