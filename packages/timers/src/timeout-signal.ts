import type { TimerHandle } from "@weft/core";
import { assertDuration } from "@weft/core/internal";
import { resolveOptions } from "./internal/options.ts";
import type { TimeOptions } from "./time-options.ts";

/** The reason `AbortSignal.timeout` gives: a `DOMException` named `"TimeoutError"` (code 23). */
function timeoutReason(): DOMException {
  return new DOMException("The operation was aborted due to timeout", "TimeoutError");
}

/**
 * Returns an `AbortSignal` that aborts `ms` milliseconds from now on the options' clock: the
 * platform's `AbortSignal.timeout`, on any clock.
 *
 * Its reason is what `AbortSignal.timeout` gives: a `DOMException` named `"TimeoutError"`. It
 * also follows the options' scope or signal: if that aborts first (or already has), the returned
 * signal aborts with the same reason (a scope's `CancelledError`), and the timer is cleared at
 * once. When the timeout fires first, the listener on the options' signal is removed. Until one of
 * the two happens the timer stays pending, like `AbortSignal.timeout`'s (on a virtual clock it is
 * counted in `pending`); when the clock's timer handles offer `unref()`, it is called so that the
 * timer alone does not keep the process alive. `Infinity` sets no timer: the signal then only
 * follows the options.
 *
 * @param ms - A non-negative number of milliseconds, or `Infinity`.
 * @param options - A scope, or `{ signal?, clock? }`.
 * @returns A new signal.
 * @throws `RangeError` (synchronously) for a negative or NaN `ms`; `TypeError` for bad options.
 * @example
 * ```ts
 * import { VirtualClock, timeoutSignal } from "@weft/timers";
 *
 * const clock = new VirtualClock();
 * const signal = timeoutSignal(5000, { clock });
 * await clock.advance(4999);
 * console.log(signal.aborted); // false
 * await clock.advance(1);
 * console.log(signal.aborted, (signal.reason as DOMException).name); // true TimeoutError
 * ```
 */
export function timeoutSignal(ms: number, options?: TimeOptions): AbortSignal {
  assertDuration(ms, "ms");
  const resolved = resolveOptions(options);
  const clock = resolved.clock;
  const parent = resolved.scope === undefined ? resolved.signal : resolved.scope.signal;
  const controller = new AbortController();
  if (parent?.aborted) {
    controller.abort(parent.reason);
    return controller.signal;
  }
  const deadline = clock.now() + ms;
  let timer: TimerHandle | undefined;
  const follow = (): void => {
    parent?.removeEventListener("abort", follow);
    timer?.cancel();
    timer = undefined;
    controller.abort(parent?.reason);
  };
  if (deadline !== Number.POSITIVE_INFINITY) {
    timer = clock.setTimer(deadline, () => {
      timer = undefined;
      parent?.removeEventListener("abort", follow);
      controller.abort(timeoutReason());
    });
    (timer as { unref?: () => void }).unref?.();
  }
  parent?.addEventListener("abort", follow);
  return controller.signal;
}
