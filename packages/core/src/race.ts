import { CancelledError, TaskGroupError } from "./errors.ts";
import { type TaskFunction, toFunctions } from "./gather.ts";
import { taskGroup } from "./task-group.ts";
import type { Scope } from "./types.ts";

/**
 * Runs every function as a task; the first to settle, with a value or an error, wins. The others
 * are cancelled, and `race` returns only after they have finished.
 *
 * `race` resolves with the winner's own value or rejects with its own error, unwrapped (unlike
 * `gather`, which is strict like a task group and wraps even a single failure in a
 * `TaskGroupError`). A loser
 * that fails with a real error while being cancelled is not lost: `race` then rejects with a
 * `TaskGroupError` holding the winner's error (if it failed) and the losers' errors.
 *
 * @param parent - The enclosing scope.
 * @param fns - The contestants; each receives its task's scope. At least one.
 * @returns The winner's value.
 * @throws The winner's error; `RangeError` (synchronously) when `fns` is empty.
 * @example
 * ```ts
 * import { race, run } from "@weft/core";
 * import { sleep } from "@weft/timers";
 *
 * const winner = await run((scope) =>
 *   race(scope, [
 *     async (s) => { await sleep(50, s); return "slow"; },
 *     async (s) => { await sleep(10, s); return "fast"; },
 *   ]),
 * );
 * console.log(winner); // fast
 * ```
 */
export function race<const F extends readonly TaskFunction[]>(
  parent: Scope,
  fns: F,
): Promise<Awaited<ReturnType<F[number]>>> {
  const list = toFunctions(fns, "fns");
  if (list.length === 0)
    throw new RangeError("Expected `fns` to hold at least one function, got an empty list");
  let decided = false;
  let ok = false;
  let outcome: unknown;
  return taskGroup(parent, async (group) => {
    const decide = (success: boolean, value: unknown): boolean => {
      if (decided) return false;
      decided = true;
      ok = success;
      outcome = value;
      group.cancel("race decided");
      return true;
    };
    list.forEach((fn, index) => {
      group.spawn(
        async (scope) => {
          let value: unknown;
          try {
            value = await fn(scope);
          } catch (error) {
            // A cancellation of this race (or from outside) never wins; anything else does.
            if (CancelledError.is(error) && scope.cancelled) throw error;
            if (!decide(false, error)) throw error;
            return;
          }
          decide(true, value);
        },
        { name: fn.name || `race[${index}]` },
      );
    });
  }).then(
    () => {
      if (ok) return outcome as Awaited<ReturnType<F[number]>>;
      throw outcome;
    },
    (error: unknown) => {
      if (decided && !ok && TaskGroupError.is(error))
        throw new TaskGroupError([outcome, ...error.errors]);
      throw error;
    },
  );
}
