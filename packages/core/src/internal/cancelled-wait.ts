import { CancelledError } from "../errors.ts";
import type { ScopeImpl } from "../scope.ts";
import { macrotask } from "./macrotask.ts";

/**
 * How many Weft waits a task may start under one cancellation before Weft decides that the task is
 * swallowing its `CancelledError` (catching it without rethrowing, in a loop).
 */
export const swallowLimit = 1000;

/**
 * Every this many waits under one cancellation, the rejection waits for a real macrotask first,
 * so that a loop that swallows its cancellation cannot starve timers (a watchdog among them).
 */
const yieldEvery = 100;

interface Tally {
  error: CancelledError;
  count: number;
}

const tallies = new WeakMap<object, Tally>();

/**
 * The rejection of a wait that starts in a cancelled scope: its `CancelledError`, at once.
 *
 * A task that keeps starting waits under the same cancellation is swallowing it: every
 * {@link yieldEvery}-th rejection comes after a real macrotask, and from the
 * {@link swallowLimit}-th on the task gets a `CancelledError` of its own whose message names it and
 * says so; no scope absorbs that one, so it fails the task's group and the bug shows.
 */
export function rejectCancelled(scope: ScopeImpl, error: CancelledError): Promise<never> {
  const task = scope.task;
  let tally = tallies.get(task);
  if (tally === undefined || tally.error !== error) {
    tally = { error, count: 0 };
    tallies.set(task, tally);
  }
  const count = ++tally.count;
  let reason: CancelledError = error;
  if (count >= swallowLimit) {
    reason = new CancelledError(
      `Task "${task.name}" (#${task.id}) started ${count} Weft waits after it was cancelled: ` +
        "it is swallowing CancelledError. Rethrow it (check with isCancellation) instead of " +
        "catching it and waiting again",
      { reason: error.reason, source: error.source },
    );
  }
  if (count % yieldEvery === 0) {
    return macrotask().then(() => {
      throw reason;
    });
  }
  return Promise.reject(reason);
}
