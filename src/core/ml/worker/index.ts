export { EmbedWorker, setEmbedWorkerEntry, type EmbedWorkerInfo } from './client'
export { EmbedPool, onGpu, workerCount } from './pool'
