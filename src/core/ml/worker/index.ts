export { EmbedWorker, type EmbedWorkerInfo } from './client'
export { EmbedPool, workerCount } from './pool'
