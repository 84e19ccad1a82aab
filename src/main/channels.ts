/** IPC channel names shared by the main process and the preload. */
export const CHANNELS = {
  invoke: 'kindred:invoke',
  pickFolder: 'kindred:pick-folder',
  event: 'kindred:event',
} as const
