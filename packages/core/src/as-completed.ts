import { isCancellation } from "./errors.ts";
import { type TaskFunction, toFunctions } from "./gather.ts";
import { toScope } from "./is-scope.ts";
import { markBlocked } from "./suspend.ts";
import { type TaskGroup, taskGroup } from "./task-group.ts";
import type { Scope } from "./types.ts";

/**
 * Runs every function as a task of one group and yields their values in completion order, like
 * asyncio's `as_completed` (each value as it is produced, not wrapped in a record).
 *
 * On error: the first failure cancels the remaining tasks; once they have all finished, the
 * iteration throws that failure itself (unwrapped), after yielding the values that completed
 * before it. On cancellation of `parent`, the iteration throws the `CancelledError`. Breaking out
 * of `for await` (`return()`) cancels the remaining tasks and resolves only once they have
 * finished; nothing runs after the iterator is done, and no promise is left to reject unhandled.
 *
 * The tasks start at once, when `asCompleted` is called, not at the first `next()`.
 *
 * @param parent - The enclosing scope.
 * @param fns - The functions; each receives its task's scope.
 * @returns An async iterator of the values, in completion order.
 * @throws (from the iteration) the first task failure; `CancelledError` when `parent` is cancelled;
 *   `TypeError` (synchronously) for bad input.
 * @example
 * ```ts
 * import { asCompleted } from "@weft/core";
 * import { fakeTime } from "@weft/testing";
 * import { sleep } from "@weft/timers";
 *
 * // On virtual time (fakeTime), so the completion order does not depend on a busy machine.
 * const order = await fakeTime(async ({ scope }) => {
 *   const seen: number[] = [];
 *   const tasks = [30, 10, 20].map((ms) => async (s: typeof scope) => {
 *     await sleep(ms, s);
 *     return ms;
 *   });
 *   for await (const ms of asCompleted(scope, tasks)) seen.push(ms);
 *   return seen;
 * });
 * console.log(order); // [ 10, 20, 30 ]
 * ```
 */
export function asCompleted<T>(
  parent: Scope,
  fns: Iterable<TaskFunction<T>>,
): AsyncIterableIterator<Awaited<T>> {
  const impl = toScope(parent, "parent");
  const list = toFunctions(fns, "fns");
  const values: Awaited<T>[] = [];
  let failed = false;
  let failure: unknown;
  let settled = false;
  let outcome: { ok: true } | { ok: false; error: unknown } = { ok: true };
  let wake: (() => void) | undefined;
  let group: TaskGroup | undefined;
  const notify = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const done = taskGroup(parent, async (g) => {
    group = g;
    list.forEach((fn, index) => {
      g.spawn(
        async (scope) => {
          try {
            const value = (await fn(scope)) as Awaited<T>;
            if (!failed) values.push(value);
          } catch (error) {
            // A cancellation seen while the scope is cancelled is not a failure of its own.
            if (!failed && !(scope.cancelled && isCancellation(error))) {
              failed = true;
              failure = error;
            }
            throw error;
          } finally {
            notify();
          }
        },
        { name: fn.name || `asCompleted[${index}]` },
      );
    });
  }).then(
    () => {
      settled = true;
      notify();
    },
    (error: unknown) => {
      settled = true;
      outcome = { ok: false, error: failed ? failure : error };
      notify();
    },
  );
  let finished = false;
  const finish = (): IteratorResult<Awaited<T>> => {
    finished = true;
    return { done: true, value: undefined };
  };
  const iterator: AsyncIterableIterator<Awaited<T>> = {
    async next() {
      while (!finished) {
        if (values.length > 0) return { done: false, value: values.shift() as Awaited<T> };
        if (settled) {
          finish();
          if (!outcome.ok) throw outcome.error;
          break;
        }
        const unblock = markBlocked(impl, "asCompleted");
        try {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        } finally {
          unblock();
        }
      }
      return { done: true, value: undefined };
    },
    async return() {
      if (!finished) {
        finished = true;
        values.length = 0;
        group?.cancel();
        await done;
      }
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
