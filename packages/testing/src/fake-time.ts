import { run, type Scope, type TaskStats, taskStats, taskTree, type Waiter } from "@weft/core";
import {
  assertFunction,
  assertOptionalBoolean,
  assertOptions,
  numberError,
  typeError,
} from "@weft/core/internal";
import { DeadlockError, TimerLeakError } from "./deadlock-error.ts";
import { seededRandom, shuffleWith } from "./internal/random.ts";
import { realDelay, realNow, realTurn } from "./internal/real.ts";
import { type InstalledGlobals, installGlobals } from "./patch-globals.ts";
import { TestClock } from "./test-clock.ts";

/** Options of {@link fakeTime}. */
export interface FakeTimeOptions {
  /** The clock's initial `now()`. Defaults to 0. */
  start?: number | undefined;
  /**
   * Whether time jumps to the next timer by itself whenever every task is blocked in a Weft wait
   * and no microtask is pending. Defaults to `true`. `{ idle: ms }` also jumps after `ms` of
   * real-time idleness, for code that waits on patched global timers.
   */
  autojump?: boolean | { idle: number } | undefined;
  /** Replace the platform's time functions with ones on the test clock while the body runs. */
  patchGlobals?: boolean | undefined;
  /** With `patchGlobals`: `Date.now()` is `epoch + clock.now()`. Defaults to 0 (1970-01-01). */
  epoch?: number | undefined;
  /** Explore another legal order of simultaneous events; the same seed replays the same order. */
  seed?: number | undefined;
  /** The real-time watchdog in ms (default 10,000): a hung test fails with the task tree. */
  timeout?: number | undefined;
}

/** What the test body receives. */
export interface FakeTimeContext {
  /** The run's clock. */
  readonly clock: TestClock;
  /** The run's root scope. */
  readonly scope: Scope;
}

/** The harness of one run, found by its clock (for `waitAllTasksBlocked`). */
export interface Harness {
  /** Waiters of `waitAllTasksBlocked`, woken (before any time jump) once every task is blocked. */
  readonly idleWaiters: Set<Waiter<void>>;
}

const harnesses = new WeakMap<object, Harness>();

/** The harness running on `clock`, if any. */
export function harnessOf(clock: object): Harness | undefined {
  return harnesses.get(clock);
}

/** Whether no task of the run can run: each is blocked in a Weft wait or awaiting an unfinished task. */
export function allBlocked(stats: TaskStats): boolean {
  return stats.live - stats.blocked - stats.joins <= 0;
}

function readOptions(options: FakeTimeOptions | undefined) {
  assertOptions(options, "options");
  const autojump = options?.autojump ?? true;
  if (typeof autojump !== "boolean" && (typeof autojump !== "object" || autojump === null)) {
    throw typeError("autojump", "a boolean or { idle }", autojump);
  }
  const timeout = options?.timeout ?? 10_000;
  if (typeof timeout !== "number" || !(timeout > 0)) {
    throw numberError(timeout, "timeout", "a positive number");
  }
  const epoch = options?.epoch ?? 0;
  if (typeof epoch !== "number" || !Number.isFinite(epoch)) {
    throw numberError(epoch, "epoch", "a finite number");
  }
  const patchGlobals = options?.patchGlobals ?? false;
  assertOptionalBoolean(patchGlobals, "patchGlobals");
  return {
    patchGlobals,
    epoch,
    seed: options?.seed,
    timeout,
    // Built here so that a bad `start`, `seed` or `idle` throws synchronously, like the rest.
    clock: new TestClock({
      start: options?.start,
      autojump: autojump !== false,
      idle: typeof autojump === "object" ? autojump.idle : undefined,
      seed: options?.seed,
    }),
  };
}

/**
 * Runs `body` in a new Weft run on a virtual {@link TestClock}: the fake-time harness.
 *
 * With autojump (the default), time jumps to the next timer only when every task of the run is
 * blocked in a Weft wait and no microtask is pending, so a test never has to know when to tick, and
 * a task awaiting real I/O holds time still until it resumes. When every task is blocked and no
 * timer is pending, `fakeTime` rejects at once with a {@link DeadlockError} showing the task tree;
 * a real-time watchdog (`timeout`) fails a hung test the same way instead of hanging the runner.
 * Either way the run's root scope is then cancelled (reason: the `DeadlockError`), so that its tasks
 * unwind.
 * With `patchGlobals`, the platform's timers, `Date` and `performance.now` follow the test clock
 * while the body runs, and are restored afterwards, also when the body throws; patched timers still
 * pending at the end fail the run with a {@link TimerLeakError}.
 *
 * @param body - The test, given the clock and the run's root scope.
 * @param options - Start time, autojump, global patching, epoch, seed, watchdog timeout.
 * @returns What `body` returns.
 * @throws What `body` throws; {@link DeadlockError}; {@link TimerLeakError}; `TypeError`/`RangeError` (synchronously) for bad options.
 * @example
 * ```ts
 * import { fakeTime } from "@weft/testing";
 * import { sleep } from "@weft/timers";
 *
 * const elapsed = await fakeTime(async ({ clock, scope }) => {
 *   await sleep(60_000, scope); // an hour of sleeps takes no real time
 *   return clock.now();
 * });
 * console.log(elapsed); // 60000
 * ```
 */
export function fakeTime<T>(
  body: (context: FakeTimeContext) => Promise<T>,
  options?: FakeTimeOptions,
): Promise<T> {
  assertFunction(body, "body");
  return runUnderHarness(body, readOptions(options));
}

async function runUnderHarness<T>(
  body: (context: FakeTimeContext) => Promise<T>,
  settings: ReturnType<typeof readOptions>,
): Promise<T> {
  const clock = settings.clock;
  const shuffle =
    settings.seed === undefined ? undefined : shuffleWith(seededRandom(settings.seed));
  const harness: Harness = { idleWaiters: new Set() };
  harnesses.set(clock, harness);
  const globals = settings.patchGlobals ? installGlobals(clock, settings.epoch) : undefined;
  const suffix = settings.seed === undefined ? "" : ` (seed ${settings.seed})`;
  try {
    let root: Scope | undefined;
    const promise = run(
      (scope) => {
        root = scope;
        return body({ clock, scope });
      },
      { clock, name: "test", shuffle },
    );
    const value = await drive(promise, clock, harness, () => root, settings.timeout, suffix);
    checkLeaks(globals, suffix);
    return value;
  } finally {
    globals?.clear();
    globals?.restore();
    harnesses.delete(clock);
  }
}

function checkLeaks(globals: InstalledGlobals | undefined, suffix: string): void {
  const leaked = globals?.pending() ?? [];
  if (leaked.length > 0) throw new TimerLeakError(leaked, suffix);
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
async function drive<T>(
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
      if (harness.idleWaiters.size > 0) {
        const waiters = [...harness.idleWaiters];
        harness.idleWaiters.clear();
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
