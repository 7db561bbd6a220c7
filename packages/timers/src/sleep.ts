import { assertDuration, assertNumber } from "@weft/core/internal";
import { assertEnds, resolveOptions } from "./internal/options.ts";
import { waitUntil } from "./internal/wait.ts";
import type { TimeOptions } from "./time-options.ts";

/**
 * Waits `ms` milliseconds on the options' clock.
 *
 * Given a scope, the sleep is a Weft wait: a checkpoint that rejects with the scope's
 * `CancelledError` when the scope is (or becomes) cancelled, and marks the task blocked on
 * `"sleep"`; a deadline due at the same instant as the wake-up wins. Given `{ signal }`, it
 * rejects with `signal.reason`, at once if already aborted. Either way its timer and listener are
 * gone once it settles. `sleep(0)` sets no timer: it is a checkpoint that resolves on a microtask,
 * also on a virtual clock that nobody advances. `sleep(Infinity)` ends only by cancellation, so it
 * needs a scope or signal.
 *
 * @param ms - A non-negative number of milliseconds; `Infinity` sleeps until cancelled.
 * @param options - A scope, or `{ signal?, clock? }`. Required in the types, so that a forgotten
 *   scope does not compile (pass `{}` to sleep on the system clock, uncancellable).
 * @returns A promise that resolves when the time has come.
 * @throws `RangeError` (synchronously) for a negative or NaN `ms`, and for `Infinity` without a
 * scope or signal (nothing could end it); `TypeError` for a non-number `ms` or bad options.
 * @example
 * ```ts
 * import { run } from "@weft/core";
 * import { VirtualClock, sleep } from "@weft/timers";
 *
 * const clock = new VirtualClock();
 * await run(
 *   async (scope) => {
 *     const woke = sleep(1000, scope).then(() => console.log("woke at", clock.now()));
 *     await clock.advance(1000); // woke at 1000
 *     await woke;
 *   },
 *   { clock },
 * );
 * ```
 */
export function sleep(ms: number, options: TimeOptions): Promise<void> {
  assertDuration(ms, "ms");
  const resolved = resolveOptions(options);
  assertEnds(resolved, ms, "ms");
  const { clock, wait } = resolved;
  return waitUntil(clock, clock.now() + ms, wait, "sleep");
}

/**
 * Waits until the options' clock reaches the absolute time `deadline`.
 *
 * Cancellation works as for {@link sleep} (the task is marked blocked on `"sleepUntil"`). A
 * deadline at or before `now()` sets no timer: it is a checkpoint that resolves on a microtask.
 * `Infinity` waits until cancelled.
 *
 * @param deadline - An absolute time on the clock (`clock.now()` plus something).
 * @param options - A scope, or `{ signal?, clock? }`. Required in the types, so that a forgotten
 *   scope does not compile (pass `{}` to sleep on the system clock, uncancellable).
 * @returns A promise that resolves when the clock reaches `deadline`.
 * @throws `RangeError` (synchronously) for a NaN `deadline`, and for `Infinity` without a scope or
 * signal (nothing could end it); `TypeError` for a non-number or bad options.
 * @example
 * ```ts
 * import { VirtualClock, sleepUntil } from "@weft/timers";
 *
 * const clock = new VirtualClock({ start: 100 });
 * const woke = sleepUntil(250, { clock });
 * await clock.advanceTo(250);
 * await woke;
 * console.log(clock.now()); // 250
 * ```
 */
export function sleepUntil(deadline: number, options: TimeOptions): Promise<void> {
  assertNumber(deadline, "deadline");
  const resolved = resolveOptions(options);
  assertEnds(resolved, deadline, "deadline");
  const { clock, wait } = resolved;
  return waitUntil(clock, deadline, wait, "sleepUntil");
}
