export {
  defineWorkerTask,
  type WorkerHandler,
  type WorkerTask,
  type WorkerTaskContext,
} from "./define-worker-task.ts";
export { openWorkerPool } from "./open-worker-pool.ts";
export { WorkerError } from "./worker-error.ts";
export { WorkerPool } from "./worker-pool.ts";
export type { WorkerPoolOptions, WorkerRunOptions } from "./worker-pool-options.ts";
