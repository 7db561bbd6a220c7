import { run, type Scope } from "@weft/core";
import {
  assertFunction,
  assertOptionalBoolean,
  assertOptions,
  numberError,
  typeError,
} from "@weft/core/internal";
import { TimerLeakError } from "./deadlock-error.ts";
import { drive, openHarness } from "./internal/harness.ts";
import { seededRandom, shuffleWith } from "./internal/random.ts";
import { type InstalledGlobals, installGlobals } from "./patch-globals.ts";
import { TestClock } from "./test-clock.ts";

/**
 * Options of {@link fakeTime}.
 * @example
 * ```ts
 * import { type FakeTimeOptions, fakeTime } from "@weft/testing";
 *
 * const options: FakeTimeOptions = { patchGlobals: true, epoch: Date.UTC(2030, 0, 1), seed: 7 };
 * await fakeTime(async () => {
 *   console.log(new Date().toISOString()); // 2030-01-01T00:00:00.000Z
 * }, options);
 * ```
 */
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

/**
 * What the test body receives.
 * @example
 * ```ts
 * import { type FakeTimeContext, fakeTime } from "@weft/testing";
 * import { sleep } from "@weft/timers";
 *
 * async function body({ clock, scope }: FakeTimeContext): Promise<number> {
 *   await sleep(60_000, scope);
 *   return clock.now();
 * }
 * console.log(await fakeTime(body)); // 60000
 * ```
 */
export interface FakeTimeContext {
  /** The run's clock. */
  readonly clock: TestClock;
  /** The run's root scope. */
  readonly scope: Scope;
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
  const { harness, release } = openHarness(clock);
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
    release();
  }
}

function checkLeaks(globals: InstalledGlobals | undefined, suffix: string): void {
  const leaked = globals?.pending() ?? [];
  if (leaked.length > 0) throw new TimerLeakError(leaked, suffix);
}
