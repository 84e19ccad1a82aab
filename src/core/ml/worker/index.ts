export { EmbedWorker, setEmbedWorkerEntry, type EmbedWorkerInfo } from './client'
export { EmbedPool, workerCount } from './pool'
