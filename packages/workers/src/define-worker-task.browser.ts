/** `defineWorkerTask` in browsers: the same handler, served by the dedicated Web Worker it runs in. */

import { assertFunction } from "@weft/core/internal";
import type { WorkerHandler, WorkerTask } from "./define-worker-task.ts";
import { portTaskControl, type TaskControl, type TaskPayload } from "./internal/protocol.ts";
import { taskHandler } from "./internal/task-handler.ts";
import { serveWorkerScope } from "./internal/worker-scope.ts";

/** The control of a run in a Web Worker: the run's own port. */
function portControl(payload: TaskPayload): TaskControl {
  if (payload.port === undefined) {
    throw new TypeError("A weft worker task must be run through openWorkerPool()");
  }
  return portTaskControl(payload.port);
}

/**
 * Wraps `task` as an export of a worker file, run by {@link openWorkerPool}'s pool of module Web
 * Workers. As on Node (see the Node build's `defineWorkerTask`): the task gets its input and a
 * `signal` that aborts when the run is cancelled, and a throw comes back as a `WorkerError`. In a
 * dedicated worker the first call also makes the worker listen for runs.
 *
 * @param task - `(input, { signal }) => output`, sync or async.
 * @returns The handler to export from the worker file (ESM).
 * @throws `TypeError` (synchronously) when `task` is not a function.
 * @example
 * The worker file, e.g. `square.js`, loaded by `new Worker(url, { type: "module" })`:
 * ```js
 * import { defineWorkerTask } from "@weft/workers";
 *
 * export default defineWorkerTask((n) => n * n);
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
  const handler = taskHandler(task, portControl);
  serveWorkerScope();
  return handler;
}
