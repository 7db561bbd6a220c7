const WORKER_ERROR = Symbol.for("weft.WorkerError");

/**
 * Thrown by {@link WorkerPool.run} when the task failed on its worker: it threw, or the worker
 * crashed (`process.exit`, out of memory) while running it.
 *
 * A thrown error keeps its `message` and `stack`; `cause` is the revived error, with the name it
 * had in the worker (`"TypeError"`, a custom `"ParseError"`…), its own `cause` chain and its other
 * own cloneable properties (such as `code`). A crash has the pool's error as `cause`. Cancellation
 * never produces a `WorkerError`: a cancelled run rejects with the `CancelledError`.
 *
 * @example
 * ```ts
 * import { WorkerError } from "@weft/workers";
 *
 * const error = new WorkerError("bad input", { cause: new RangeError("bad input") });
 * console.log(error.name, WorkerError.is(error)); // WorkerError true
 * console.log((error.cause as Error).name); // RangeError
 * ```
 */
export class WorkerError extends Error {
  /**
   * @param message - The message of the error thrown in the worker.
   * @param options - `cause`: the revived error.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WorkerError";
  }

  /**
   * Whether `value` is a `WorkerError`, also one made by another copy of this package.
   *
   * @param value - Any value.
   * @returns `true` for a `WorkerError`.
   * @example
   * ```ts
   * import { WorkerError } from "@weft/workers";
   *
   * console.log(WorkerError.is(new WorkerError("x")), WorkerError.is(new Error("x"))); // true false
   * ```
   */
  static is(value: unknown): value is WorkerError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[WORKER_ERROR] === true
    );
  }
}
Object.defineProperty(WorkerError.prototype, WORKER_ERROR, { value: true });
