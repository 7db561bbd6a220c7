/** `openWorkerPool` in browsers: the pool's threads are module Web Workers. */

import { isScope, type Scope } from "@weft/core";
import { deferExit, typeError } from "@weft/core/internal";
import { WebWorkerPool } from "./internal/web-worker-pool.ts";
import { WorkerPool } from "./worker-pool.ts";
import { readPoolOptions, type WorkerPoolOptions } from "./worker-pool-options.ts";

function toUrl(filename: string | URL): URL {
  if (filename instanceof URL) return filename;
  const base = (globalThis as { location?: { href: string } }).location?.href;
  try {
    return new URL(filename, base);
  } catch {
    throw typeError("options.filename", "a URL, or a string resolved against the page", filename);
  }
}

/**
 * Opens a pool of module Web Workers that runs the tasks of one worker file, owned by `scope`: the
 * browser build of `openWorkerPool`, with the same options (`resourceLimits` and `execArgv`
 * ignored), queue, cancellation, `grace` and errors as on Node.
 *
 * @param scope - The owner: a `Scope` (anything with a `signal`; `clock` defaults to the system's).
 * @param options - `filename` (`new URL("./task.js", import.meta.url)`) and the pool's limits.
 * @returns The pool.
 * @throws `TypeError` (synchronously) for a bad `filename`, a wrongly typed option, or no `Worker`
 * global; `RangeError` for a bad number (`maxThreads: 0`, `grace: -1`, `minThreads > maxThreads`).
 * @example
 * In a page (not run here: it needs a browser and a worker file):
 * ```js
 * import { run } from "@weft/core";
 * import { openWorkerPool } from "@weft/workers";
 *
 * await run(async (scope) => {
 *   await using pool = openWorkerPool(scope, { filename: new URL("./square.js", import.meta.url) });
 *   console.log(await pool.run(7, { signal: scope })); // 49
 * });
 * ```
 * The options are checked at once, as on Node:
 * ```ts
 * import { run } from "@weft/core";
 * import { openWorkerPool } from "@weft/workers";
 *
 * await run(async (scope) => {
 *   try {
 *     openWorkerPool(scope, { filename: new URL("https://example.test/square.js"), maxThreads: 0 });
 *   } catch (error) {
 *     console.log((error as Error).name); // RangeError
 *   }
 * });
 * ```
 */
export function openWorkerPool(scope: Scope, options: WorkerPoolOptions): WorkerPool {
  const cpus = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  const parallelism = typeof cpus === "number" && cpus >= 1 ? cpus : 4;
  const defaultMax = Math.max(1, Math.floor(parallelism * 1.5));
  const checked = readPoolOptions(scope, options, defaultMax);
  const WebWorkerClass = (globalThis as { Worker?: typeof Worker }).Worker;
  if (typeof WebWorkerClass !== "function") {
    throw new TypeError("Expected a global `Worker` (Web Workers), got `undefined`");
  }
  const url = toUrl(checked.filename);
  const maxThreads = checked.maxThreads ?? Math.max(defaultMax, checked.minThreads ?? 0);
  const minThreads =
    checked.minThreads ?? Math.min(maxThreads, Math.max(1, Math.floor(parallelism / 2)));
  const backend = new WebWorkerPool(
    url,
    {
      minThreads,
      maxThreads,
      idleTimeout: checked.idleTimeout ?? 0,
      maxQueue: checked.maxQueue ?? Number.POSITIVE_INFINITY,
      clock: checked.clock,
    },
    (href) => new WebWorkerClass(href, { type: "module" }),
  );
  const pool = new WorkerPool(checked.signal, backend, {
    clock: checked.clock,
    grace: checked.grace,
  });
  // The scope's exit waits until every thread has ended (a plain `{ signal }` cannot wait).
  if (isScope(scope)) deferExit(scope, () => pool.close());
  return pool;
}
