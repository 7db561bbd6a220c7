import { suspend } from "@weft/core";
import { assertCancellable, resolveOptions } from "./internal/options.ts";
import type { TimeOptions } from "./time-options.ts";

/**
 * Waits until cancelled: the promise never resolves, it only rejects with the scope's
 * `CancelledError` or the signal's reason (at once if already cancelled or aborted).
 *
 * Given a scope, the task is marked blocked on `"sleepForever"`. It sets no timer. Options without
 * a scope or signal (`{}`, `{ clock }`) are refused: nothing could end the wait.
 *
 * @param options - A scope, or `{ signal }`.
 * @returns A promise that only ever rejects.
 * @throws `TypeError` (synchronously) when `options` is missing, malformed, or has neither a scope
 * nor a signal.
 * @example
 * ```ts
 * import { moveOnAfter, run } from "@weft/core";
 * import { VirtualClock, sleepForever } from "@weft/timers";
 *
 * const clock = new VirtualClock();
 * await run(
 *   async (scope) => {
 *     const done = moveOnAfter(scope, 50, (inner) => sleepForever(inner));
 *     await clock.advance(50);
 *     console.log(await done, clock.now()); // undefined 50
 *   },
 *   { clock },
 * );
 * ```
 */
export function sleepForever(options: TimeOptions): Promise<never> {
  const resolved = resolveOptions(options);
  assertCancellable(resolved, options);
  const { wait } = resolved;
  return suspend<never>(wait, "sleepForever", () => undefined);
}
