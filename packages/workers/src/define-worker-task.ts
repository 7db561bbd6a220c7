import { workerData } from "node:worker_threads";
import { assertFunction } from "@weft/core/internal";
import { portTaskControl, type TaskControl, type TaskPayload } from "./internal/protocol.ts";
import { type RunTableLink, ThreadRunTable } from "./internal/run-table.ts";
import { taskHandler } from "./internal/task-handler.ts";

/**
 * What a worker task receives besides its input.
 *
 * @example
 * ```ts
 * import type { WorkerTaskContext } from "@weft/workers";
 *
 * const controller = new AbortController();
 * const context: WorkerTaskContext = { signal: controller.signal };
 * controller.abort();
 * console.log(context.signal.aborted); // true
 * ```
 */
export interface WorkerTaskContext {
  /** Aborts when the caller's run is cancelled (its signal, its scope, the pool's scope, `close()`). */
  readonly signal: AbortSignal;
}

/**
 * A task for a worker file: `input` to output, cancellable through `signal`.
 *
 * @example
 * A task is a plain function, so it can be tested without a worker:
 * ```ts
 * import type { WorkerTask } from "@weft/workers";
 *
 * const square: WorkerTask<number, number> = (n, { signal }) => {
 *   signal.throwIfAborted();
 *   return n * n;
 * };
 * console.log(square(7, { signal: new AbortController().signal })); // 49
 * ```
 */
export type WorkerTask<In, Out> = (input: In, context: WorkerTaskContext) => Out | Promise<Out>;

/**
 * The handler a worker file exports, called by the pool with each run's payload. Opaque: only
 * {@link WorkerPool} knows how to call it.
 *
 * @example
 * ```ts
 * import { defineWorkerTask, type WorkerHandler } from "@weft/workers";
 *
 * const square: WorkerHandler<number, number> = defineWorkerTask((n: number) => n * n);
 * console.log(typeof square); // function
 * ```
 */
export type WorkerHandler<In, Out> = ((payload: unknown) => Promise<unknown>) & {
  /** Type-level only: the task's input and output. */
  readonly __types?: (input: In) => Out;
};

/**
 * Wraps `task` as the default export of a worker file, run by {@link openWorkerPool}'s pool.
 *
 * Each call gets the run's input and a `signal` that aborts when the caller cancels the run: a
 * cooperative task checks it (`signal.throwIfAborted()`, or passes it on to `fetch` and friends)
 * and stops; one that does not is terminated after the pool's `grace`. An error the task throws
 * (or rejects with) is sent back as data (name, message, stack, `cause`, other own properties)
 * and rejects the caller's run with a {@link WorkerError}. The output must be cloneable
 * (structured clone), as must the input.
 *
 * @param task - `(input, { signal }) => output`, sync or async.
 * @returns The handler to `export default` from the worker file (ESM).
 * @throws `TypeError` (synchronously) when `task` is not a function.
 * @example
 * The worker file, e.g. `square.js` (not run here: it needs a worker):
 * ```js
 * import { defineWorkerTask } from "@weft/workers";
 *
 * export default defineWorkerTask(async (n, { signal }) => {
 *   signal.throwIfAborted();
 *   return n * n;
 * });
 * ```
 * Only a pool calls the handler; called directly, it refuses:
 * ```ts
 * import { defineWorkerTask } from "@weft/workers";
 *
 * const square = defineWorkerTask((n: number) => n * n);
 * await square(7).catch((error: Error) => console.log(error.message));
 * // A weft worker task must be run through openWorkerPool()
 * ```
 */
export function defineWorkerTask<In, Out>(task: WorkerTask<In, Out>): WorkerHandler<In, Out> {
  assertFunction(task, "task");
  return taskHandler(task, threadControl);
}

/** This thread's side of its pool's run table, made on the first run. */
let threadTable: ThreadRunTable | undefined;

/** The control of a run on a Node thread: through the pool's run table (or the run's own port). */
function threadControl(payload: TaskPayload): TaskControl {
  if (payload.port !== undefined) return portTaskControl(payload.port);
  if (threadTable === undefined) {
    const link = (workerData as { weftRuns?: RunTableLink } | null | undefined)?.weftRuns;
    if (link === undefined) {
      throw new TypeError("A weft worker task must be run through openWorkerPool()");
    }
    threadTable = new ThreadRunTable(link);
  }
  return threadTable.control(payload);
}
