import { suspend } from "@weft/core";
import { describeValue } from "@weft/core/internal";
import { resolveOptions } from "./internal/options.ts";
import type { TimeOptions } from "./time-options.ts";

/**
 * Waits until cancelled: the promise never resolves, it only rejects with the scope's
 * `CancelledError` or the signal's reason (at once if already cancelled or aborted).
 *
 * Given a scope, the task is marked blocked on `"sleepForever"`. It sets no timer. Without a scope
 * or signal in `options`, nothing can end it.
 *
 * @param options - A scope, or `{ signal }`.
 * @returns A promise that only ever rejects.
 * @throws `TypeError` (synchronously) when `options` is missing or malformed.
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
  if (options === undefined) {
    throw new TypeError(
      `Expected \`options\` to be a scope or \`{ signal }\`, got ${describeValue(options)}`,
    );
  }
  const { wait } = resolveOptions(options);
  return suspend<never>(wait, "sleepForever", () => undefined);
}
