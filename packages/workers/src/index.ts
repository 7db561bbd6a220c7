export {
  defineWorkerTask,
  type WorkerHandler,
  type WorkerTask,
  type WorkerTaskContext,
} from "./define-worker-task.ts";
export { WorkerError } from "./worker-error.ts";
export {
  openWorkerPool,
  WorkerPool,
  type WorkerPoolOptions,
  type WorkerRunOptions,
} from "./worker-pool.ts";
