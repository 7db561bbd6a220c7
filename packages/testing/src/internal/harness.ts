import { type Scope, type TaskStats, taskStats, taskTree, type Waiter } from "@weft/core";
import { DeadlockError } from "../deadlock-error.ts";
import type { TestClock } from "../test-clock.ts";
import { realDelay, realNow, realTurn } from "./real.ts";

/** The harness of one run, found by its clock (for `waitAllTasksBlocked`). */
export interface Harness {
  /** Waiters of `waitAllTasksBlocked`, woken (before any time jump) once every task is blocked. */
  readonly blockedWaiters: Set<Waiter<void>>;
}

const harnesses = new WeakMap<object, Harness>();

/** Registers a new harness for `clock`, until `release` is called. */
export function openHarness(clock: object): { harness: Harness; release(): void } {
  const harness: Harness = { blockedWaiters: new Set() };
  harnesses.set(clock, harness);
  return { harness, release: () => harnesses.delete(clock) };
}

/** The harness running on `clock`, if any. */
export function harnessOf(clock: object): Harness | undefined {
  return harnesses.get(clock);
}

/** Whether no task of the run can run: each is blocked in a Weft wait or awaiting an unfinished task. */
export function allBlocked(stats: TaskStats): boolean {
  return stats.live - stats.blocked - stats.joins <= 0;
}

/**
 * Returns a {@link DeadlockError} with the run's task tree, after cancelling the run with it as the
 * reason, so that its tasks unwind instead of staying parked forever (under the vitest fixture, the
 * test body then fails at once).
 */
function abandon(scope: Scope | undefined, clock: TestClock, message: string): DeadlockError {
  const error = new DeadlockError(
    message,
    scope === undefined ? undefined : taskTree(scope),
    clock.now(),
  );
  scope?.cancel(error);
  return error;
}

/** Moves time for a run until it settles: the autojump loop, deadlock detection and the watchdog. */
export async function drive<T>(
  promise: Promise<T>,
  clock: TestClock,
  harness: Harness,
  root: () => Scope | undefined,
  timeout: number,
  suffix: string,
): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  const started = realNow();
  let quiet = 0;
  let idleSince = realNow();
  let signature = "";
  for (;;) {
    // A real macrotask turn drains every microtask; after a long quiet spell, poll gently.
    await (quiet < 64 ? realTurn() : realDelay(1));
    if (settled) return promise;
    const scope = root();
    if (realNow() - started > timeout) {
      throw abandon(
        scope,
        clock,
        `fakeTime: the test was still running after ${timeout} ms of real time, at virtual time ${clock.now()} ms${suffix}`,
      );
    }
    if (scope === undefined) continue;
    const next = clock.next;
    if (next !== undefined && next <= clock.now()) {
      // Timers already due (a patched setImmediate, a timer set in the past) fire without moving time.
      await clock.advance(0);
      quiet = 0;
      continue;
    }
    const stats = taskStats(scope);
    const now = `${stats.live}/${stats.blocked}/${stats.joins}/${clock.now()}/${clock.pending}`;
    if (now !== signature) {
      signature = now;
      idleSince = realNow();
    }
    const blocked = allBlocked(stats);
    if (blocked) {
      if (harness.blockedWaiters.size > 0) {
        const waiters = [...harness.blockedWaiters];
        harness.blockedWaiters.clear();
        for (const waiter of waiters) waiter.resolve();
        quiet = 0;
        continue;
      }
      if (clock.pending === 0) {
        throw abandon(
          scope,
          clock,
          `Deadlock: every task is blocked in a Weft wait and no timer is pending, at virtual time ${clock.now()} ms${suffix}`,
        );
      }
    }
    // Jump when every task is blocked, or (with `idle`) after a real-time spell with no progress.
    if (
      clock.autojump &&
      next !== undefined &&
      (blocked || (clock.idle !== undefined && realNow() - idleSince >= clock.idle))
    ) {
      await clock.advanceTo(next);
      quiet = 0;
      continue;
    }
    quiet++;
  }
}
