import { type Clock, suspend, type WaitOptions } from "@weft/core";

/**
 * Waits, through core's `suspend`, until `clock` reaches `deadline`.
 *
 * A deadline at or before `now()` sets no timer: the wait is then only a checkpoint, resolving on
 * a microtask (a due deadline of the scope still wins, through `waiter.resolve`). `Infinity` sets
 * no timer either: the wait ends only by cancellation. Cancellation clears the timer at once.
 */
export function waitUntil(
  clock: Clock,
  deadline: number,
  wait: WaitOptions | undefined,
  label: string,
): Promise<void> {
  return suspend<void>(wait, label, (waiter) => {
    if (deadline <= clock.now()) {
      waiter.resolve();
      return undefined;
    }
    if (deadline === Number.POSITIVE_INFINITY) return undefined;
    const timer = clock.setTimer(deadline, () => {
      waiter.resolve();
    });
    return () => timer.cancel();
  });
}
