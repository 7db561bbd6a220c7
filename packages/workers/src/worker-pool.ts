/**
 * The pool's lifecycle: a {@link WorkerPool} owned by a scope, its runs, and its shutdown when the
 * scope is cancelled or `close()` is called. The threads come from a backend (piscina on Node, Web
 * Workers in browsers); one run's cancellation lives in `internal/pool-run.ts`.
 */

import { CancelledError } from "@weft/core";
import type { PoolBackend } from "./internal/backend.ts";
import { type GracePolicy, PoolRun } from "./internal/pool-run.ts";
import { readRunOptions, type WorkerRunOptions } from "./worker-pool-options.ts";

/**
 * A pool of worker threads running the tasks of one worker file, owned by a scope. Made by
 * {@link openWorkerPool}; see there for its lifetime.
 *
 * @example
 * See {@link openWorkerPool}.
 * ```ts
 * import type { WorkerPool } from "@weft/workers";
 *
 * const describe = (pool: WorkerPool) => `${pool.running} running, ${pool.queued} queued`;
 * console.log(typeof describe); // function
 * ```
 */
export class WorkerPool {
  readonly #backend: PoolBackend;
  readonly #policy: GracePolicy;
  readonly #runs = new Set<PoolRun>();
  readonly #scopeSignal: AbortSignal;
  readonly #forget = (run: PoolRun): void => {
    this.#runs.delete(run);
  };
  readonly #onScopeAbort = (): void => {
    // The rejection (if destroying fails) reaches whoever awaits close(); none is unhandled here.
    this.#shutdown(this.#scopeSignal.reason).catch(() => undefined);
  };
  #closing: Promise<void> | undefined;
  #destroyed = false;

  /** @internal Use {@link openWorkerPool}. */
  constructor(scopeSignal: AbortSignal, backend: PoolBackend, policy: GracePolicy) {
    this.#backend = backend;
    this.#policy = policy;
    this.#scopeSignal = scopeSignal;
    this.#scopeSignal.addEventListener("abort", this.#onScopeAbort, { once: true });
  }

  /** Live worker threads (0 once closed and every thread has ended). */
  get threads(): number {
    return this.#destroyed ? 0 : this.#backend.threads;
  }

  /** Runs waiting for a thread. */
  get queued(): number {
    let count = 0;
    for (const run of this.#runs) if (!run.started) count++;
    return count;
  }

  /** Runs whose task has started on a worker and not yet settled. */
  get running(): number {
    return this.#runs.size - this.queued;
  }

  /**
   * Runs the worker file's task on `input` on a free thread (or once one is free).
   *
   * Cancellation (the `signal`, the pool's scope, `close()`): a queued run is removed and rejects
   * with the signal's reason (the scope's `CancelledError`) at once. A running run's worker-side
   * `signal` aborts; if the task has not settled after the pool's `grace` ms (on the pool's scope's
   * clock) its worker is terminated and replaced, and the promise rejects with the reason once the
   * worker side has stopped (at once when `grace` is 0). No listener stays on `signal` and no
   * timer stays pending once the run settles.
   *
   * @param input - The task's input (structured-cloned, or moved through `transfer`).
   * @param options - `signal` (or a Scope), `transfer`, `name`.
   * @returns The task's output.
   * @throws `TypeError` (synchronously) for bad options. Rejects with the cancellation reason;
   * with {@link WorkerError} when the task threw, its worker crashed or the run was refused
   * (`maxQueue` reached); with an `Error` once the pool is closed.
   * @example
   * A run cancelled by its scope's deadline (this file is also the worker file):
   * ```ts
   * import { isMainThread } from "node:worker_threads";
   * import { moveOnAfter, run } from "@weft/core";
   * import { defineWorkerTask, openWorkerPool } from "@weft/workers";
   *
   * export const slow = defineWorkerTask(
   *   (ms: number, { signal }) =>
   *     new Promise((resolve, reject) => {
   *       const timer = setTimeout(resolve, ms, "finished");
   *       signal.addEventListener("abort", () => {
   *         clearTimeout(timer);
   *         reject(signal.reason); // a cooperative task stops when its signal aborts
   *       });
   *     }),
   * );
   *
   * if (isMainThread) {
   *   await run(async (scope) => {
   *     await using pool = openWorkerPool(scope, { filename: new URL(import.meta.url), grace: 100 });
   *     const result = await moveOnAfter(scope, 200, (s) =>
   *       pool.run<number, string>(5_000, { name: "slow", signal: s }),
   *     );
   *     console.log(result, pool.running); // undefined 0
   *   });
   * }
   * ```
   */
  run<In, Out>(input: In, options: WorkerRunOptions = {}): Promise<Out> {
    const { signal, transfer, name } = readRunOptions(options);
    if (this.#scopeSignal.aborted) return Promise.reject(this.#scopeSignal.reason);
    if (this.#closing !== undefined) return Promise.reject(new Error("The worker pool is closed"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const run = new PoolRun(
      this.#backend,
      { input, transfer, name, signal },
      this.#policy,
      this.#forget,
    );
    this.#runs.add(run);
    return run.result as Promise<Out>;
  }

  /**
   * Closes the pool: no new runs; queued and running runs are cancelled (as for {@link run}'s
   * signal, with a `CancelledError` as the reason), and once they have stopped every
   * thread is terminated. Idempotent; the pool's scope being cancelled closes it the same way
   * (with the scope's `CancelledError` as the reason), and the scope's exit calls it and waits for it.
   * Call it (or `await using`) to end the threads before the scope exits.
   *
   * @returns A promise that resolves when every thread has ended.
   * @example
   * See {@link openWorkerPool}.
   * ```ts
   * import type { WorkerPool } from "@weft/workers";
   *
   * const shutDown = (pool: WorkerPool) => pool.close();
   * console.log(typeof shutDown); // function
   * ```
   */
  close(): Promise<void> {
    return this.#shutdown(new CancelledError("The worker pool was closed"));
  }

  /**
   * Calls {@link close}: `await using pool = openWorkerPool(scope, …)`.
   *
   * @returns The promise of {@link close}.
   * @example
   * See {@link openWorkerPool}.
   * ```ts
   * import { WorkerPool } from "@weft/workers";
   *
   * console.log(typeof WorkerPool.prototype[Symbol.asyncDispose]); // function
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #shutdown(reason: unknown): Promise<void> {
    if (this.#closing === undefined) {
      this.#scopeSignal.removeEventListener("abort", this.#onScopeAbort);
      const runs = [...this.#runs];
      for (const run of runs) run.cancel(reason);
      this.#closing = Promise.all(runs.map((run) => run.whenStopped()))
        .then(() => this.#backend.destroy())
        .then(() => {
          this.#destroyed = true;
        });
    }
    return this.#closing;
  }
}
