// biome-ignore-all lint/performance/noBarrelFile: the entry of the browser build, as index.ts is of Node's.
// The browser build (the package's `browser` export condition): the same API on module Web Workers.

export { defineWorkerTask } from "./define-worker-task.browser.ts";
export type {
  WorkerHandler,
  WorkerTask,
  WorkerTaskContext,
} from "./define-worker-task.ts";
export { openWorkerPool } from "./open-worker-pool.browser.ts";
export { WorkerError } from "./worker-error.ts";
export { WorkerPool } from "./worker-pool.ts";
export type { WorkerPoolOptions, WorkerRunOptions } from "./worker-pool-options.ts";
