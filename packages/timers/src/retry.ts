import { checkpoint, isCancellation } from "@weft/core";
import { assertFunction, describeValue, exitedScopeError, numberError } from "@weft/core/internal";
import type { Backoff } from "./backoff.ts";
import { isAborted, type Resolved, resolveOptions } from "./internal/options.ts";
import { waitUntil } from "./internal/wait.ts";
import type { TimeOptions } from "./time-options.ts";

/**
 * Options of {@link retry}: how often and when to retry, and the scope or signal and clock of the
 * backoff waits.
 *
 * Pass a scope as `scope` (a scope cannot be spread into an options object): the backoff waits are
 * then Weft waits, cancelled with the scope.
 *
 * @example
 * ```ts
 * import { run } from "@weft/core";
 * import { type RetryOptions, VirtualClock, exponential, retry } from "@weft/timers";
 *
 * await run(
 *   async (scope) => {
 *     const options: RetryOptions = {
 *       scope,
 *       retries: 2,
 *       backoff: exponential({ initial: 50 }),
 *       retryIf: (error) => error instanceof TypeError, // only retry TypeErrors
 *     };
 *     const attempts: number[] = [];
 *     const outcome = await retry(async (attempt) => {
 *       attempts.push(attempt);
 *       throw new RangeError("not worth retrying");
 *     }, options).catch((error: Error) => error.message);
 *     console.log(outcome, attempts); // not worth retrying [ 1 ]
 *   },
 *   { clock: new VirtualClock() },
 * );
 * ```
 */
export interface RetryOptions extends TimeOptions {
  /**
   * How many times to retry after the first attempt: `retries: 2` makes at most 3 calls. A
   * non-negative integer or `Infinity`. Defaults to 3.
   */
  retries?: number | undefined;
  /** The wait before each retry. Defaults to none: retry at once (still a checkpoint). */
  backoff?: Backoff | undefined;
  /**
   * Whether to retry after `error` made attempt number `attempt` (1-based) fail. Defaults to
   * always. Cancellations are never retried, whatever it says; if it throws, `retry` rejects with
   * that.
   */
  retryIf?: ((error: unknown, attempt: number) => boolean) | undefined;
}

/**
 * Calls `fn` until it succeeds, retrying failures up to `retries` times with a backoff between
 * attempts, and resolves with its first successful value.
 *
 * It rejects with the last attempt's error (identity kept) once the retries are used up or
 * `retryIf` says no. It never retries a cancellation: a `CancelledError`, or any error thrown while
 * the options' scope is cancelled or signal aborted, is rethrown at once. The backoff waits are
 * on the options' clock and are Weft waits given a scope (blocked on `"retry"`): cancelling the
 * scope or aborting the signal during one rejects with the scope's `CancelledError` or the
 * signal's reason, and clears its timer. A scope or signal that is already cancelled rejects at
 * once, without calling `fn`.
 *
 * @param fn - The operation; receives the attempt number, 1 for the first call.
 * @param options - A scope, or `{ signal?, clock?, scope?, retries?, backoff?, retryIf? }` (required in
 *   the types, so that a forgotten scope does not compile).
 * @returns The first successful result of `fn`.
 * @throws `TypeError`/`RangeError` (synchronously) for a non-function `fn`, bad `retries`,
 * `backoff`, `retryIf` or options. The promise rejects with a `RangeError` (its `cause` the
 * attempt's error) when `backoff` returns a negative or non-number delay.
 * @example
 * ```ts
 * import { VirtualClock, constant, retry } from "@weft/timers";
 *
 * const clock = new VirtualClock();
 * const calls: number[] = [];
 * const result = retry(
 *   async (attempt) => {
 *     calls.push(clock.now());
 *     if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
 *     return "ok";
 *   },
 *   { clock, retries: 5, backoff: constant(1000) },
 * );
 * await clock.runAll();
 * console.log(await result, calls); // ok [ 0, 1000, 2000 ]
 * ```
 */
export function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  assertFunction(fn, "fn");
  const resolved = resolveOptions(options);
  const retries = options?.retries ?? 3;
  const backoff = options?.backoff;
  const retryIf = options?.retryIf;
  if (
    typeof retries !== "number" ||
    !(Number.isInteger(retries) || retries === Number.POSITIVE_INFINITY) ||
    retries < 0
  ) {
    throw numberError(retries, "retries", "a non-negative integer or Infinity");
  }
  if (backoff !== undefined) assertFunction(backoff, "backoff");
  if (retryIf !== undefined) assertFunction(retryIf, "retryIf");
  const exited = exitedScopeError(resolved.scope, "retry");
  if (exited !== undefined) return Promise.reject(exited);
  if (isAborted(resolved)) {
    const { scope, signal } = resolved;
    return scope === undefined
      ? Promise.reject(signal?.reason)
      : (checkpoint(scope) as Promise<never>);
  }
  return attempts(fn, resolved, retries, backoff, retryIf);
}

async function attempts<T>(
  fn: (attempt: number) => Promise<T>,
  resolved: Resolved,
  retries: number,
  backoff: Backoff | undefined,
  retryIf: ((error: unknown, attempt: number) => boolean) | undefined,
): Promise<T> {
  const clock = resolved.clock;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt > retries || isCancellation(error) || isAborted(resolved)) throw error;
      if (retryIf !== undefined && !retryIf(error, attempt)) throw error;
      const delay = backoff === undefined ? 0 : backoff(attempt);
      if (typeof delay !== "number" || !(delay >= 0)) {
        throw new RangeError(
          `Expected \`backoff(${attempt})\` to return a non-negative number of milliseconds, got ${describeValue(delay)}`,
          { cause: error },
        );
      }
      await waitUntil(clock, clock.now() + delay, resolved.wait, "retry");
    }
  }
}
