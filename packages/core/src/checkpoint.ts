import { rejectCancelled } from "./internal/cancelled-wait.ts";
import { toScope } from "./is-scope.ts";
import { exitedError } from "./suspend.ts";
import type { Scope } from "./types.ts";

const resolved: Promise<void> = Promise.resolve();

/**
 * A cancellation point: rejects with the scope's `CancelledError` if `scope` is cancelled, else
 * resolves on the next microtask. Use it in long loops that have no other Weft operation, so that
 * cancellation can reach them.
 *
 * @param scope - The scope to check.
 * @returns A promise that resolves when the scope is not cancelled.
 * @throws `TypeError` (synchronously) when `scope` is not a scope.
 * @example
 * ```ts
 * import { checkpoint, moveOnAfter, run } from "@weft/core";
 *
 * await run(async (scope) => {
 *   let rounds = 0;
 *   await moveOnAfter(scope, 0, async (inner) => {
 *     for (;;) {
 *       await checkpoint(inner); // throws at once: the timeout of 0 has passed
 *       rounds++;
 *     }
 *   });
 *   console.log(rounds); // 0
 * });
 * ```
 */
export function checkpoint(scope: Scope): Promise<void> {
  const impl = toScope(scope, "scope");
  if (impl.exited) return Promise.reject(exitedError(impl, "checkpoint"));
  // A deadline that has passed counts even if its timer could not fire yet (a busy loop).
  impl.expireDeadlines();
  const error = impl.error;
  return error === undefined ? resolved : rejectCancelled(impl, error);
}
