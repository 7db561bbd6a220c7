import { addSystemTimer } from "./internal/system-timers.ts";

/**
 * A handle to a callback scheduled on a {@link Clock}.
 * @example
 * ```ts
 * import { systemClock, type TimerHandle } from "@weft/core";
 *
 * const timer: TimerHandle = systemClock.setTimer(systemClock.now() + 1000, () => console.log("late"));
 * timer.unref?.();
 * timer.cancel(); // nothing is printed
 * console.log("cancelled"); // cancelled
 * ```
 */
export interface TimerHandle {
  /** Cancels the callback if it has not run yet. Idempotent; never throws. */
  cancel(): void;
  /**
   * Optional: lets the process exit while this timer is pending (Node's `timeout.unref()`), for
   * timers nobody waits on, such as a `timeoutSignal`'s. Clocks without a process ignore it.
   */
  unref?(): void;
}

/**
 * A source of monotonic time in milliseconds that can run callbacks at absolute times.
 *
 * Every deadline, timeout and sleep in Weft is measured on a `Clock`. The default is
 * {@link systemClock}; tests pass a virtual clock so that time only moves when they say so.
 *
 * @example
 * ```ts
 * import { systemClock } from "@weft/core";
 *
 * const start = systemClock.now();
 * const timer = systemClock.setTimer(start + 5, () => console.log("five ms later"));
 * timer.cancel(); // nothing is printed
 * ```
 */
export interface Clock {
  /** The current time in milliseconds. Never decreases. */
  now(): number;
  /**
   * Runs `callback` once when `now()` reaches `time` (an absolute time on this clock).
   * A `time` at or before `now()` runs on the clock's next turn, never synchronously.
   * Callbacks due at the same time run in the order they were scheduled.
   * `time` may be `Infinity`: the callback then never runs.
   */
  setTimer(time: number, callback: () => void): TimerHandle;
}

const noopHandle: TimerHandle = { cancel() {} };

/**
 * The real clock: `performance.now()` milliseconds, timers through `setTimeout`.
 *
 * Its timers share one platform timer, armed for the earliest of them and cleared as soon as none
 * is pending, so that setting and cancelling many timers stays cheap. Long waits beyond
 * `setTimeout`'s 24.8-day limit are chained, and a timer that the platform fires a fraction of a
 * millisecond early is re-armed, so callbacks never run before their time.
 *
 * @example
 * ```ts
 * import { run, systemClock } from "@weft/core";
 *
 * await run(async (scope) => {
 *   console.log(scope.clock === systemClock); // true
 * });
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now(): number {
    return performance.now();
  },
  setTimer(time: number, callback: () => void): TimerHandle {
    if (typeof time !== "number" || Number.isNaN(time)) {
      throw new RangeError(
        `Expected \`time\` to be a number, got \`${String(time)}\` (${typeof time})`,
      );
    }
    if (time === Number.POSITIVE_INFINITY) return noopHandle;
    return addSystemTimer(time, callback);
  },
});

/**
 * Sets a timer for a scope's deadline on `clock`. On {@link systemClock}, the platform timer is
 * armed only if the deadline is still set on the next macrotask turn (see
 * internal/system-timers.ts); any other clock is asked through its `setTimer`.
 */
export function setDeadlineTimer(clock: Clock, time: number, callback: () => void): TimerHandle {
  return clock === systemClock && time !== Number.POSITIVE_INFINITY
    ? addSystemTimer(time, callback, true)
    : clock.setTimer(time, callback);
}
