export { EmbedWorker, type EmbedWorkerInfo } from './client'
