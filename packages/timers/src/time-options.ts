import type { Clock, Scope, WaitOptions } from "@weft/core";

/**
 * Options of every timer function: what cancels the wait and which clock measures it.
 *
 * A {@link Scope} is a `TimeOptions`: pass the scope itself and the wait is a Weft wait (a
 * checkpoint, cancelled with the scope, rejecting with its `CancelledError`, and marking the task
 * as blocked for harnesses), measured on `scope.clock`. A plain `{ signal }` gives plain
 * `AbortSignal` semantics: the wait rejects with `signal.reason`, at once if already aborted.
 * Functions that take more options (`retry`, `interval`) accept the scope as `scope`.
 *
 * The clock is `clock`, else the scope's clock, else core's `systemClock`.
 *
 * @example
 * ```ts
 * import { run } from "@weft/core";
 * import { type TimeOptions, VirtualClock, sleep } from "@weft/timers";
 *
 * const clock = new VirtualClock();
 * await run(async (scope) => {
 *   const asScope: TimeOptions = scope; // a Weft wait on the run's clock
 *   const withSignal: TimeOptions = { signal: new AbortController().signal, clock };
 *   const slept = sleep(5, withSignal);
 *   await clock.advance(5);
 *   await slept;
 *   await sleep(0, asScope);
 *   console.log(clock.now()); // 5
 * });
 * ```
 */
export interface TimeOptions extends WaitOptions {
  /** Aborting it rejects the wait with `signal.reason`. Not together with `scope`. */
  signal?: AbortSignal | undefined;
  /** The clock the duration is measured on. Defaults to the scope's clock, else `systemClock`. */
  clock?: Clock | undefined;
  /**
   * Makes the wait a Weft wait of this scope, exactly as passing the scope itself would: for
   * calls that take more options, `retry(fn, { scope, retries: 3 })`. Not together with `signal`.
   */
  scope?: Scope | undefined;
}
