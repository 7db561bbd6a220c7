/** `openWorkerPool` on Node: the pool's threads are piscina's. */

import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { isScope, type Scope } from "@weft/core";
import { deferExit } from "@weft/core/internal";
import { Piscina } from "piscina";
import type { PoolBackend } from "./internal/backend.ts";
import { RunTable } from "./internal/run-table.ts";
import { WorkerPool } from "./worker-pool.ts";
import { readPoolOptions, type WorkerPoolOptions } from "./worker-pool-options.ts";

function toPath(filename: string | URL): string {
  if (filename instanceof URL) {
    return filename.protocol === "file:" ? fileURLToPath(filename) : filename.href;
  }
  return filename.startsWith("file:") ? fileURLToPath(filename) : filename;
}

/**
 * piscina as a {@link PoolBackend}: its queue, respawn, limits and transfer lists; the runs' controls
 * in one {@link RunTable} its threads share.
 */
function piscinaBackend(piscina: Piscina, table: RunTable): PoolBackend {
  return {
    get threads() {
      return piscina.threads.length;
    },
    control: () => table.control(),
    run: (payload, { transfer, terminate, name }) =>
      piscina.run(payload, {
        ...(transfer.length === 0 ? {} : { transferList: transfer as never }),
        ...(terminate === undefined ? {} : { signal: terminate as never }),
        ...(name === undefined ? {} : { name }),
      }),
    destroy: () => {
      table.close();
      return piscina.destroy();
    },
  };
}

/**
 * Opens a pool of worker threads (on piscina in Node, module Web Workers in browsers) that runs the
 * tasks of one worker file, owned by `scope`.
 *
 * When `scope` is cancelled the pool shuts down as by {@link WorkerPool.close}: queued runs reject
 * at once, running ones are cancelled with the pool's `grace` (measured on `scope.clock`, so a
 * test clock controls it), then the threads end. When `scope` exits, in
 * any way, the pool is closed and the exit completes only once every thread has ended (trio's rule:
 * no work outlives its scope); `await using` or `close()` close it earlier.
 *
 * @param scope - The owner: a `Scope` (anything with a `signal`; `clock` defaults to the system's).
 * @param options - `filename` and the pool's limits.
 * @returns The pool.
 * @throws `TypeError` (synchronously) for a missing or bad `filename` or a wrongly typed option;
 * `RangeError` for a bad number (`maxThreads: 0`, `grace: -1`, `minThreads > maxThreads`).
 * @example
 * One file can be both the worker file (its exports) and the code that runs it:
 * ```ts
 * import { isMainThread } from "node:worker_threads";
 * import { run } from "@weft/core";
 * import { defineWorkerTask, openWorkerPool } from "@weft/workers";
 *
 * export default defineWorkerTask((n: number) => n * n);
 *
 * if (isMainThread) {
 *   await run(async (scope) => {
 *     await using pool = openWorkerPool(scope, { filename: new URL(import.meta.url), maxThreads: 2 });
 *     const squares = await Promise.all([1, 2, 3].map((n) => pool.run<number, number>(n, { signal: scope })));
 *     console.log(squares); // [ 1, 4, 9 ]
 *   });
 * }
 * ```
 * The options are checked at once, before any thread starts:
 * ```ts
 * import { run } from "@weft/core";
 * import { openWorkerPool } from "@weft/workers";
 *
 * await run(async (scope) => {
 *   try {
 *     openWorkerPool(scope, { filename: "square.js", grace: -1 });
 *   } catch (error) {
 *     console.log((error as Error).name); // RangeError
 *   }
 * });
 * ```
 */
export function openWorkerPool(scope: Scope, options: WorkerPoolOptions): WorkerPool {
  const checked = readPoolOptions(scope, options, Math.floor(availableParallelism() * 1.5));
  const { filename, clock, grace, signal, ...limits } = checked;
  const table = new RunTable();
  const piscina = new Piscina({
    filename: toPath(filename),
    ...limits,
    workerData: { weftRuns: table.link },
  });
  const pool = new WorkerPool(signal, piscinaBackend(piscina, table), { clock, grace });
  // The scope's exit waits until every thread has ended (a plain `{ signal }` cannot wait).
  if (isScope(scope)) deferExit(scope, () => pool.close());
  return pool;
}
