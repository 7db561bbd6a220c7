import {
  assertFiniteDuration,
  assertFunction,
  assertOptions,
  describeValue,
  numberError,
} from "@weft/core/internal";

/**
 * A backoff policy for `retry`: given the number of the retry about to happen (1 for the first
 * retry, after the first attempt failed), returns how many milliseconds to wait before it.
 *
 * Any function of that shape is a backoff: `(n) => n * 100` is a linear one. The delay must be a
 * non-negative number (`Infinity` waits until cancelled); `retry` rejects with a `RangeError`
 * otherwise, and with what the function throws if it throws.
 *
 * @example
 * ```ts
 * import { type Backoff, VirtualClock, retry } from "@weft/timers";
 *
 * const linear: Backoff = (n) => n * 100; // 100, 200, 300, ...
 * const clock = new VirtualClock();
 * const calls: number[] = [];
 * const done = retry(
 *   async (attempt) => {
 *     calls.push(clock.now());
 *     if (attempt < 3) throw new Error("flaky");
 *   },
 *   { clock, backoff: linear },
 * );
 * await clock.runAll();
 * await done;
 * console.log(calls); // [ 0, 100, 300 ]
 * ```
 */
export type Backoff = (retry: number) => number;

/**
 * Options of {@link exponential}: the delay curve and its jitter; every field is optional.
 *
 * Bad values make `exponential` throw (`RangeError`, `TypeError`) when it is called, not later.
 *
 * @example
 * ```ts
 * import { type ExponentialOptions, exponential } from "@weft/timers";
 *
 * const options: ExponentialOptions = {
 *   initial: 200,
 *   factor: 3,
 *   max: 2000,
 *   jitter: "full",
 *   random: () => 0.5, // injectable, so that tests are exact
 * };
 * const backoff = exponential(options);
 * console.log(backoff(1), backoff(2), backoff(4)); // 100 300 1000
 * ```
 */
export interface ExponentialOptions {
  /** The first delay in ms, before jitter. Defaults to 100. */
  initial?: number | undefined;
  /** What each delay is multiplied by, at least 1. Defaults to 2. */
  factor?: number | undefined;
  /** The cap on every delay in ms, before jitter. Defaults to `Infinity` (none). */
  max?: number | undefined;
  /**
   * Randomisation of each delay `d`: `"none"` (the default) waits `d`; `"full"` waits uniformly in
   * `[0, d)`; `"equal"` waits `d / 2` plus uniformly in `[0, d / 2)`. Jitter spreads out clients
   * that failed together.
   */
  jitter?: "none" | "full" | "equal" | undefined;
  /** The source of randomness for jitter, returning numbers in `[0, 1)`. Defaults to `Math.random`. */
  random?: (() => number) | undefined;
}

function assertRetryNumber(n: unknown): asserts n is number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw numberError(n, "retry", "a positive integer");
  }
}

/**
 * Exponential backoff: the n-th delay is `min(max, initial · factor^(n-1))`, then jitter.
 *
 * With jitter, the randomness comes from `random`, so tests can pass a fixed sequence and get
 * exact delays.
 *
 * @param options - `initial`, `factor`, `max`, `jitter`, `random`; all optional.
 * @returns A {@link Backoff} for `retry`.
 * @throws `RangeError` (synchronously) for a negative, NaN or infinite `initial`, a `factor` below
 * 1 or infinite, or a negative or NaN `max`; `TypeError` for a bad `jitter` or `random`. The
 * returned function throws `RangeError` when `random()` returns a value outside `[0, 1]`.
 * @example
 * ```ts
 * import { exponential } from "@weft/timers";
 *
 * const backoff = exponential({ initial: 100, factor: 2, max: 1000 });
 * console.log([1, 2, 3, 4, 5].map(backoff)); // [ 100, 200, 400, 800, 1000 ]
 *
 * const jittered = exponential({ initial: 100, jitter: "equal", random: () => 0.5 });
 * console.log(jittered(3)); // 300
 * ```
 */
export function exponential(options?: ExponentialOptions): Backoff {
  assertOptions(options, "options");
  const initial = options?.initial ?? 100;
  const factor = options?.factor ?? 2;
  const max = options?.max ?? Number.POSITIVE_INFINITY;
  const jitter = options?.jitter ?? "none";
  const random = options?.random === undefined ? Math.random : options.random;
  assertFiniteDuration(initial, "initial");
  if (typeof factor !== "number" || !(factor >= 1 && factor !== Number.POSITIVE_INFINITY)) {
    throw numberError(factor, "factor", "a finite number of at least 1");
  }
  if (typeof max !== "number" || !(max >= 0)) {
    throw numberError(max, "max", "a non-negative number or Infinity");
  }
  if (jitter !== "none" && jitter !== "full" && jitter !== "equal") {
    throw new TypeError(
      `Expected \`jitter\` to be "none", "full" or "equal", got ${describeValue(jitter)}`,
    );
  }
  assertFunction(random, "random");
  return (n: number): number => {
    assertRetryNumber(n);
    // initial 0 stays 0 (0 · Infinity would be NaN once factor^(n-1) overflows).
    const delay = initial === 0 ? 0 : Math.min(max, initial * factor ** (n - 1));
    if (jitter === "none" || delay === Number.POSITIVE_INFINITY) return delay;
    const r = random();
    if (typeof r !== "number" || !(r >= 0 && r <= 1)) {
      throw new RangeError(
        `Expected \`random()\` to return a number in [0, 1], got ${describeValue(r)}`,
      );
    }
    return jitter === "full" ? delay * r : delay / 2 + (delay / 2) * r;
  };
}

/**
 * Constant backoff: every retry waits the same `ms`.
 *
 * @param ms - A finite, non-negative number of milliseconds (0 retries at once).
 * @returns A {@link Backoff} for `retry`.
 * @throws `RangeError` (synchronously) for a negative, NaN or infinite `ms`.
 * @example
 * ```ts
 * import { constant } from "@weft/timers";
 *
 * const backoff = constant(250);
 * console.log(backoff(1), backoff(7)); // 250 250
 * ```
 */
export function constant(ms: number): Backoff {
  assertFiniteDuration(ms, "ms");
  return (n: number): number => {
    assertRetryNumber(n);
    return ms;
  };
}
