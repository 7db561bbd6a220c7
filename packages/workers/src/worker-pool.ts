import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { CancelledError, type Scope } from "@weft/core";
import {
  assertCount,
  assertDuration,
  assertOptionalString,
  assertOptions,
  assertPositiveInteger,
  exitedScopeError,
  isSignal,
  numberError,
  typeError,
} from "@weft/core/internal";
import { Piscina } from "piscina";
import {
  ABORT,
  isTaskOutcome,
  onMessage,
  reviveError,
  STARTED,
  type TaskPayload,
} from "./internal/protocol.ts";
import { WorkerError } from "./worker-error.ts";

/** Options of {@link openWorkerPool}. */
export interface WorkerPoolOptions {
  /** The worker file (ESM) whose default export is made by `defineWorkerTask`: a path or a `file:` URL. */
  filename: string | URL;
  /** Threads kept alive while idle. Defaults to piscina's (half the CPUs). */
  minThreads?: number;
  /** Most threads at once. Defaults to piscina's (1.5 × the CPUs). */
  maxThreads?: number;
  /** How long (ms) an idle thread above `minThreads` lives. */
  idleTimeout?: number;
  /** Most runs waiting for a thread (`Infinity` for no limit, `"auto"`: `maxThreads²`). */
  maxQueue?: number | "auto";
  /** Memory limits of each worker (Node's `resourceLimits`). */
  resourceLimits?: {
    maxOldGenerationSizeMb?: number;
    maxYoungGenerationSizeMb?: number;
    codeRangeSizeMb?: number;
    stackSizeMb?: number;
  };
  /**
   * Node options of the workers (Node's `execArgv`). Defaults to the parent thread's, which may
   * include `--conditions` that the worker file cannot load (a test runner's, for example).
   */
  execArgv?: string[];
  /** How long (ms) a cancelled running task may take to stop before its worker is terminated. Default 1000; 0 terminates at once; `Infinity` never. */
  grace?: number;
}

/** Options of {@link WorkerPool.run}. */
export interface WorkerRunOptions {
  /** Cancels the run: an `AbortSignal`, or anything with one, such as a `Scope`. */
  signal?: AbortSignal | { readonly signal: AbortSignal };
  /** Objects moved (not copied) to the worker, e.g. `ArrayBuffer`s in the input. */
  transfer?: Transferable[];
  /** The export of the worker file to call. Defaults to `"default"`. */
  name?: string;
}

interface Run {
  started: boolean;
  cancel(reason: unknown): void;
  readonly settled: Promise<void>;
}

function toSignal(value: unknown, name: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (isSignal(value)) return value;
  const inner = (value as { signal?: unknown } | null)?.signal;
  if (isSignal(inner)) return inner;
  throw typeError(name, "an AbortSignal or an object with one (a Scope)", value);
}

function assertFilename(value: unknown): string {
  if (value instanceof URL) return value.protocol === "file:" ? fileURLToPath(value) : value.href;
  if (typeof value === "string" && value.length > 0) {
    return value.startsWith("file:") ? fileURLToPath(value) : value;
  }
  throw typeError("options.filename", "a non-empty string or a URL", value);
}

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
  readonly #piscina: Piscina;
  readonly #grace: number;
  readonly #runs = new Set<Run>();
  readonly #scopeSignal: AbortSignal;
  readonly #onScopeAbort = (): void => {
    // The rejection (if destroying fails) reaches whoever awaits close(); none is unhandled here.
    this.#shutdown(this.#scopeSignal.reason).catch(() => undefined);
  };
  #closing: Promise<void> | undefined;
  #destroyed = false;

  /** @internal Use {@link openWorkerPool}. */
  constructor(scope: Scope, piscina: Piscina, grace: number) {
    this.#piscina = piscina;
    this.#grace = grace;
    this.#scopeSignal = scope.signal;
    this.#scopeSignal.addEventListener("abort", this.#onScopeAbort, { once: true });
  }

  /** Live worker threads (0 once closed and every thread has ended). */
  get threads(): number {
    return this.#destroyed ? 0 : this.#piscina.threads.length;
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
   * `signal` aborts; if the task has not settled after the pool's `grace` ms its worker is
   * terminated and replaced, and the promise rejects with the reason once the worker side has
   * stopped (at once when `grace` is 0). No listener stays on `signal` and no timer stays pending
   * once the run settles.
   *
   * @param input - The task's input (structured-cloned, or moved through `transfer`).
   * @param options - `signal` (or a Scope), `transfer`, `name`.
   * @returns The task's output.
   * @throws `TypeError` (synchronously) for bad options. Rejects with the cancellation reason;
   * with {@link WorkerError} when the task threw, its worker crashed or piscina refused the run (`maxQueue` reached); with an `Error` once the
   * pool is closed.
   * @example
   * See {@link openWorkerPool} (a run needs a worker file).
   * ```ts
   * import type { WorkerPool } from "@weft/workers";
   *
   * const square = (pool: WorkerPool, n: number) => pool.run<number, number>(n);
   * console.log(typeof square); // function
   * ```
   */
  run<In, Out>(input: In, options: WorkerRunOptions = {}): Promise<Out> {
    assertOptions(options, "options");
    const signal = toSignal(options.signal, "options.signal");
    const transfer = options.transfer;
    if (transfer !== undefined && !Array.isArray(transfer)) {
      throw typeError("options.transfer", "an array", transfer);
    }
    assertOptionalString(options.name, "options.name");
    if (this.#scopeSignal.aborted) return Promise.reject(this.#scopeSignal.reason);
    if (this.#closing !== undefined) return Promise.reject(new Error("The worker pool is closed"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Out>((resolve, reject) => {
      const { port1, port2 } = new MessageChannel();
      const terminate = new AbortController();
      let cancelled: { reason: unknown } | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let settle!: () => void;
      const run: Run = {
        started: false,
        settled: new Promise<void>((done) => {
          settle = done;
        }),
        cancel: (reason) => {
          if (cancelled !== undefined) return;
          cancelled = { reason };
          port1.postMessage(ABORT);
          if (!run.started || this.#grace === 0) {
            terminate.abort(reason);
            finish(() => reject(reason));
          } else if (this.#grace !== Number.POSITIVE_INFINITY) {
            timer = setTimeout(() => terminate.abort(reason), this.#grace);
          }
        },
      };
      let finished = false;
      const finish = (outcome: () => void): void => {
        if (finished) return;
        finished = true;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        port1.close();
        outcome();
      };
      const onAbort = (): void => run.cancel(signal?.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#runs.add(run);
      onMessage(port1, (message) => {
        if (message === STARTED) run.started = true;
      });
      const payload: TaskPayload = { weftTask: 1, input, port: port2 };
      this.#piscina
        .run(payload, {
          transferList: [port2, ...(transfer ?? [])] as never,
          signal: terminate.signal,
          ...(options.name === undefined ? {} : { name: options.name }),
        })
        .then(
          (outcome: unknown) => {
            if (cancelled !== undefined) finish(() => reject(cancelled?.reason));
            else if (!isTaskOutcome(outcome)) {
              finish(() =>
                reject(new WorkerError("The worker file's export is not made by defineWorkerTask")),
              );
            } else if (outcome.ok) finish(() => resolve(outcome.value as Out));
            else {
              const cause = reviveError(outcome.error);
              const error = new WorkerError(cause.message, { cause });
              if (cause.stack !== undefined) error.stack = cause.stack;
              finish(() => reject(error));
            }
          },
          (error: unknown) => {
            if (cancelled !== undefined) finish(() => reject(cancelled?.reason));
            else {
              const message = error instanceof Error ? error.message : String(error);
              finish(() => reject(new WorkerError(message, { cause: error })));
            }
          },
        )
        .finally(() => {
          this.#runs.delete(run);
          settle();
        });
    });
  }

  /**
   * Closes the pool: no new runs; queued and running runs are cancelled (as for {@link run}'s
   * signal, with a `CancelledError` as the reason), and once they have stopped every
   * thread is terminated. Idempotent; the pool's scope being cancelled closes it the same way
   * (with the scope's `CancelledError` as the reason). Use it in a `finally`, or `await using`, so
   * that the scope's exit waits for the threads (a scope cannot await it by itself).
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
      this.#closing = Promise.all(runs.map((run) => run.settled))
        .then(() => this.#piscina.destroy())
        .then(() => {
          this.#destroyed = true;
        });
    }
    return this.#closing;
  }
}

/**
 * Opens a pool of worker threads (on piscina) that runs the task of one worker file, owned by
 * `scope`.
 *
 * When `scope` is cancelled the pool shuts down as by {@link WorkerPool.close}: queued runs reject
 * at once, running ones are cancelled with the pool's `grace`, then the threads end. A scope cannot
 * yet wait for that on its own: `await using pool = openWorkerPool(…)` (or `close()` in a
 * `finally`) makes the scope's body wait until every thread has ended.
 *
 * @param scope - The owner: a `Scope` (anything with a `signal`).
 * @param options - `filename` and the pool's limits.
 * @returns The pool.
 * @throws `TypeError` (synchronously) for a missing or bad `filename` or a wrongly typed option;
 * `RangeError` for a bad number (`maxThreads: 0`, `grace: -1`, `minThreads > maxThreads`).
 * @example
 * A worker file `square.js`, beside the code (not run here: it needs a worker file):
 * ```js
 * import { defineWorkerTask } from "@weft/workers";
 *
 * export default defineWorkerTask((n) => n * n);
 * ```
 * and the code that runs it:
 * ```js
 * import { run } from "@weft/core";
 * import { openWorkerPool } from "@weft/workers";
 *
 * await run(async (scope) => {
 *   await using pool = openWorkerPool(scope, { filename: new URL("./square.js", import.meta.url) });
 *   console.log(await pool.run(7, { signal: scope })); // 49
 * });
 * ```
 */
export function openWorkerPool(scope: Scope, options: WorkerPoolOptions): WorkerPool {
  if (!isSignal((scope as Partial<Scope> | null)?.signal)) {
    throw typeError("scope", "a Scope (an object with an AbortSignal `signal`)", scope);
  }
  const exited = exitedScopeError(scope, "openWorkerPool");
  if (exited !== undefined) throw exited;
  if (typeof options !== "object" || options === null)
    throw typeError("options", "an object", options);
  const filename = assertFilename(options.filename);
  const { minThreads, maxThreads, idleTimeout, maxQueue, resourceLimits, execArgv } = options;
  if (
    execArgv !== undefined &&
    !(Array.isArray(execArgv) && execArgv.every((arg) => typeof arg === "string"))
  ) {
    throw typeError("options.execArgv", "an array of strings", execArgv);
  }
  const grace = options.grace ?? 1000;
  if (minThreads !== undefined) assertCount(minThreads, "options.minThreads");
  if (maxThreads !== undefined) assertPositiveInteger(maxThreads, "options.maxThreads");
  if (minThreads !== undefined && maxThreads !== undefined && minThreads > maxThreads) {
    throw new RangeError(
      `Expected \`options.minThreads\` to be at most \`options.maxThreads\` (${maxThreads}), got \`${minThreads}\` (number)`,
    );
  }
  if (idleTimeout !== undefined) assertDuration(idleTimeout, "options.idleTimeout");
  if (
    maxQueue !== undefined &&
    maxQueue !== "auto" &&
    !(maxQueue === Number.POSITIVE_INFINITY || (Number.isSafeInteger(maxQueue) && maxQueue >= 0))
  ) {
    throw numberError(maxQueue, "options.maxQueue", 'a non-negative integer, Infinity or "auto"');
  }
  assertOptions(resourceLimits, "options.resourceLimits");
  assertDuration(grace, "options.grace");
  const piscina = new Piscina({
    filename,
    ...(minThreads === undefined ? {} : { minThreads }),
    ...(maxThreads === undefined ? {} : { maxThreads }),
    ...(idleTimeout === undefined ? {} : { idleTimeout }),
    ...(maxQueue === undefined ? {} : { maxQueue }),
    ...(resourceLimits === undefined ? {} : { resourceLimits }),
    ...(execArgv === undefined ? {} : { execArgv }),
  });
  return new WorkerPool(scope, piscina, grace);
}
