import { assertOptions, numberError, typeError } from "@weft/core/internal";
import { VirtualClock } from "@weft/timers";
import { seededRandom } from "./internal/random.ts";

/**
 * Options of the {@link TestClock} constructor.
 * @example
 * ```ts
 * import { TestClock, type TestClockOptions } from "@weft/testing";
 *
 * const options: TestClockOptions = { start: 1000, autojump: false };
 * const clock = new TestClock(options);
 * await clock.advance(500);
 * console.log(clock.now()); // 1500
 * ```
 */
export interface TestClockOptions {
  /** The initial `now()`. Defaults to 0. */
  start?: number | undefined;
  /** Whether time jumps by itself when every task is blocked. Defaults to `true`. */
  autojump?: boolean | undefined;
  /** Also jump after this much real-time idleness, for code waiting on patched global timers. */
  idle?: number | undefined;
  /** The seed of the run's exploration of simultaneous events, if any. */
  seed?: number | undefined;
}

/**
 * The clock of a `fakeTime` run: a {@link VirtualClock} plus the harness's controls.
 *
 * Manual `advance`, `advanceTo`, `runNext` and `runAll` always work; with `autojump` on (the
 * default) the harness also moves time by itself, to the next timer, whenever every task of the
 * run is blocked in a Weft wait and no microtask is pending.
 *
 * @example
 * ```ts
 * import { fakeTime } from "@weft/testing";
 * import { sleep } from "@weft/timers";
 *
 * await fakeTime(async ({ clock, scope }) => {
 *   clock.autojump = false; // drive time by hand
 *   const slept = sleep(100, scope);
 *   await clock.advance(100);
 *   await slept;
 *   console.log(clock.now()); // 100
 * });
 * ```
 */
export class TestClock extends VirtualClock {
  /** Whether time jumps by itself when every task is blocked. Settable at any time. */
  autojump: boolean;
  /** Real-time idleness (ms) after which time also jumps, or `undefined`. */
  idle: number | undefined;
  /** The seed of the run's exploration of simultaneous events, or `undefined` for registration order. */
  readonly seed: number | undefined;

  /**
   * @param options - Start time, autojump, idle threshold, seed.
   * @throws `RangeError`/`TypeError` for a bad option.
   */
  constructor(options?: TestClockOptions) {
    assertOptions(options, "options");
    const seed = options?.seed;
    if (seed !== undefined && !Number.isSafeInteger(seed))
      throw numberError(seed, "seed", "an integer");
    // With a seed, timers due at the same instant fire in a seeded random order.
    super({
      start: options?.start,
      order: seed === undefined ? undefined : seededRandom(seed ^ 0x5bd1e995),
    });
    const autojump = options?.autojump ?? true;
    if (typeof autojump !== "boolean") throw typeError("autojump", "a boolean", autojump);
    const idle = options?.idle;
    if (
      idle !== undefined &&
      (typeof idle !== "number" || !(idle >= 0) || !Number.isFinite(idle))
    ) {
      throw numberError(idle, "idle", "a non-negative finite number");
    }
    this.autojump = autojump;
    this.idle = idle;
    this.seed = seed;
  }
}
