import { addBrand, hasBrand } from "./internal/brand.ts";
import { describeValue, expectedMessage } from "./internal/validate.ts";

/**
 * Why a scope was cancelled.
 * @example
 * ```ts
 * import { CancelledError, type CancelSource, moveOnAfter, run } from "@weft/core";
 * import { sleep } from "@weft/timers";
 *
 * await run((scope) =>
 *   moveOnAfter(scope, 10, async (s) => {
 *     await sleep(1000, s).catch((error: unknown) => {
 *       const source: CancelSource | undefined = CancelledError.is(error) ? error.source : undefined;
 *       console.log(source); // deadline
 *       throw error;
 *     });
 *   }),
 * );
 * ```
 */
export type CancelSource = "explicit" | "deadline" | "signal" | "failure";

const CANCELLED = Symbol.for("weft.CancelledError");
const TIMEOUT = Symbol.for("weft.TimeoutError");
const TASK_GROUP = Symbol.for("weft.TaskGroupError");

/**
 * Options of the {@link CancelledError} constructor.
 * @example
 * ```ts
 * import { CancelledError, type CancelledErrorOptions } from "@weft/core";
 *
 * const options: CancelledErrorOptions = { reason: "shutting down", source: "signal" };
 * const error = new CancelledError("The server is stopping", options);
 * console.log(error.source, error.reason); // signal shutting down
 * ```
 */
export interface CancelledErrorOptions {
  /** What `cancel()` was given, or the aborted signal's reason. Also set as `cause`. */
  reason?: unknown;
  /** Why the cancellation happened. Defaults to `"explicit"`. */
  source?: CancelSource;
}

const defaultMessages: Record<CancelSource, string> = {
  explicit: "The scope was cancelled",
  deadline: "The scope's deadline passed",
  signal: "The scope was cancelled by its abort signal",
  failure: "The scope was cancelled because a task failed",
};

/**
 * Thrown by every Weft operation inside a cancelled scope.
 *
 * A cancelled scope creates one `CancelledError` and hands the same instance to all of its
 * descendants, so that the scope recognises the error when it reaches its boundary and absorbs it
 * there. Code may catch it to clean up, but should rethrow it.
 *
 * @example
 * ```ts
 * import { CancelledError, cancelScope, checkpoint, run } from "@weft/core";
 *
 * await run(async (scope) => {
 *   await cancelScope(scope, async (inner) => {
 *     inner.cancel("no longer needed");
 *     try {
 *       await checkpoint(inner);
 *     } catch (error) {
 *       if (CancelledError.is(error)) console.log(error.source, error.reason); // explicit no longer needed
 *       throw error;
 *     }
 *   });
 * });
 * ```
 */
export class CancelledError extends Error {
  /** What the cancellation was given: `cancel(reason)`'s argument or the signal's reason. */
  readonly reason: unknown;
  /** Why the cancellation happened. */
  readonly source: CancelSource;

  /**
   * @param message - Defaults to a sentence naming the source.
   * @param options - The reason and source.
   */
  constructor(message?: string, options: CancelledErrorOptions = {}) {
    const source = options.source ?? "explicit";
    super(
      message ?? defaultMessages[source],
      options.reason === undefined ? undefined : { cause: options.reason },
    );
    this.name = "CancelledError";
    this.reason = options.reason;
    this.source = source;
  }

  /**
   * Whether `value` is a `CancelledError`, also one made by another copy of this package.
   * @param value - Anything.
   * @returns `true` for a `CancelledError`.
   */
  static is(value: unknown): value is CancelledError {
    return hasBrand(value, CANCELLED);
  }
}
addBrand(CancelledError, CANCELLED);

/**
 * Thrown by `failAfter` and `failAt` when their scope absorbed a cancellation: the deadline passed
 * (or the scope was cancelled explicitly) before the body finished.
 *
 * @example
 * ```ts
 * import { TimeoutError, checkpoint, failAfter, run } from "@weft/core";
 *
 * await run(async (scope) => {
 *   try {
 *     await failAfter(scope, 0, (inner) => checkpoint(inner));
 *   } catch (error) {
 *     console.log(TimeoutError.is(error)); // true
 *   }
 * });
 * ```
 */
export class TimeoutError extends Error {
  /**
   * @param message - Defaults to "The operation timed out".
   * @param options - `cause`: usually the absorbed `CancelledError`.
   */
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message ?? "The operation timed out", options);
    this.name = "TimeoutError";
  }

  /**
   * Whether `value` is a `TimeoutError`, also one made by another copy of this package.
   * @param value - Anything.
   * @returns `true` for a `TimeoutError`.
   */
  static is(value: unknown): value is TimeoutError {
    return hasBrand(value, TIMEOUT);
  }
}
addBrand(TimeoutError, TIMEOUT);

function summarize(errors: readonly unknown[]): string {
  const count = errors.length;
  const head = `${count} task${count === 1 ? "" : "s"} failed`;
  if (count === 0) return head;
  const parts = errors
    .slice(0, 3)
    .map((error) =>
      error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error),
    );
  return `${head}: ${parts.join("; ")}${count > 3 ? "; …" : ""}`;
}

/**
 * Thrown by a task group (and by `gather` and `map`) when one or more of its tasks, or its body,
 * failed. `errors` holds the exact thrown values, identity kept, in the order they were thrown.
 *
 * The group wraps even a single failure, so callers always handle one shape. Cancellations caused
 * by the group's own cancellation are never among `errors`.
 *
 * @example
 * ```ts
 * import { TaskGroupError, run, taskGroup } from "@weft/core";
 *
 * await run(async (scope) => {
 *   try {
 *     await taskGroup(scope, async (group) => {
 *       group.spawn(() => { throw new Error("boom"); });
 *     });
 *   } catch (error) {
 *     if (TaskGroupError.is(error)) console.log(error.message, error.errors.length); // 1 task failed: Error: boom 1
 *   }
 * });
 * ```
 */
export class TaskGroupError extends AggregateError {
  /**
   * @param errors - The failures, in completion order.
   * @param message - Defaults to a message stating the count.
   */
  constructor(errors: Iterable<unknown>, message?: string) {
    if (typeof (errors as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== "function") {
      throw new TypeError(expectedMessage("errors", "an iterable of errors", errors));
    }
    const list = [...errors];
    super(list, message ?? summarize(list));
    this.name = "TaskGroupError";
  }

  /**
   * Whether `value` is a `TaskGroupError`, also one made by another copy of this package.
   * @param value - Anything.
   * @returns `true` for a `TaskGroupError`.
   */
  static is(value: unknown): value is TaskGroupError {
    return hasBrand(value, TASK_GROUP);
  }
}
addBrand(TaskGroupError, TASK_GROUP);

/**
 * Whether `error` is a cancellation (a {@link CancelledError}) rather than a failure.
 *
 * @param error - Anything caught.
 * @returns `true` when `error` is a `CancelledError`.
 * @example
 * ```ts
 * import { isCancellation, CancelledError } from "@weft/core";
 *
 * console.log(isCancellation(new CancelledError()), isCancellation(new Error("x"))); // true false
 * ```
 */
export function isCancellation(error: unknown): error is CancelledError {
  return CancelledError.is(error);
}
