import { isScope, type Scope, suspend, taskStats } from "@weft/core";
import { typeError } from "@weft/core/internal";
import { allBlocked, harnessOf } from "./internal/harness.ts";
import { realTurn } from "./internal/real.ts";

/**
 * Waits until every other task of the run is blocked in a Weft wait and no microtask is pending
 * (trio's `wait_all_tasks_blocked`): the moment to assert on a quiescent system.
 *
 * Under `fakeTime` it is woken before autojump moves time, so it observes the state just before the
 * next timer. Outside a harness it polls after each real macrotask. It is a Weft wait: cancelling
 * `scope` rejects it with `CancelledError`.
 *
 * @param scope - The calling task's scope.
 * @returns A promise that resolves once every other task is blocked.
 * @throws `TypeError` when `scope` is not a scope.
 * @example
 * ```ts
 * import { Event, taskGroup } from "@weft/core";
 * import { fakeTime, waitAllTasksBlocked } from "@weft/testing";
 *
 * await fakeTime(async ({ scope }) => {
 *   const ready = new Event();
 *   await taskGroup(scope, async (group) => {
 *     group.spawn((s) => ready.wait(s));
 *     await waitAllTasksBlocked(scope);
 *     console.log("the waiter is parked"); // the waiter is parked
 *     ready.set();
 *   });
 * });
 * ```
 */
export function waitAllTasksBlocked(scope: Scope): Promise<void> {
  if (!isScope(scope)) throw typeError("scope", "a Scope", scope);
  const harness = harnessOf(scope.clock);
  if (harness !== undefined) {
    return suspend<void>(scope, "waitAllTasksBlocked", (waiter) => {
      harness.blockedWaiters.add(waiter);
      return () => harness.blockedWaiters.delete(waiter);
    });
  }
  return suspend<void>(scope, "waitAllTasksBlocked", (waiter) => {
    const poll = async (): Promise<void> => {
      while (!waiter.settled) {
        await realTurn();
        if (allBlocked(taskStats(scope))) waiter.resolve();
      }
    };
    void poll();
  });
}
