import os from 'node:os'

// sharp decodes on libuv's thread pool (4 threads unless told otherwise). Sizing it to the
// machine lets photo import use every core on machines with more than 4. It must be set before
// the pool first starts, so main.ts imports this module first.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, os.availableParallelism()))
