import { type Clock, suspend, type TimerHandle, type Waiter, type WaitOptions } from "@weft/core";
import { describeValue, numberError } from "@weft/core/internal";
import { resolveOptions } from "./internal/options.ts";
import type { TimeOptions } from "./time-options.ts";

/**
 * Options of {@link interval}: the wait's scope or signal and clock, and what to do with missed ticks.
 *
 * Cancellation is as for every `TimeOptions`: a waiting `next()` rejects with the scope's
 * `CancelledError` or the signal's reason.
 *
 * @example
 * ```ts
 * import { VirtualClock, interval } from "@weft/timers";
 *
 * const clock = new VirtualClock();
 * const ticks = interval(10, { clock, missed: "burst" });
 * await clock.advance(35); // nobody was listening: three ticks fell due
 * const seen: (number | undefined)[] = [];
 * for (let i = 0; i < 4; i++) {
 *   const next = ticks.next();
 *   if (i === 3) await clock.advance(5);
 *   seen.push((await next).value);
 * }
 * await ticks.return?.();
 * console.log(seen); // [ 10, 20, 30, 40 ]
 * ```
 */
export interface IntervalOptions extends TimeOptions {
  /**
   * What to do with ticks that fell due while the consumer was busy. `"skip"` (the default): drop
   * them and yield only the latest one at once, then continue on the grid. `"burst"`: yield every
   * missed tick at once, one per `next()`, until caught up.
   */
  missed?: "skip" | "burst" | undefined;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

interface Pending {
  readonly waiter: Waiter<boolean>;
  readonly timer: TimerHandle;
}

class Interval implements AsyncIterableIterator<number, undefined, undefined> {
  readonly #period: number;
  readonly #burst: boolean;
  readonly #clock: Clock;
  readonly #wait: WaitOptions | undefined;
  readonly #start: number;
  /** The number of the last tick handed out (tick `n` is due at `start + n · period`). */
  #count = 0;
  #done = false;
  readonly #pending = new Set<Pending>();

  constructor(period: number, burst: boolean, clock: Clock, wait: WaitOptions | undefined) {
    this.#period = period;
    this.#burst = burst;
    this.#clock = clock;
    this.#wait = wait;
    this.#start = clock.now();
  }

  next(): Promise<IteratorResult<number, undefined>> {
    if (this.#done) return Promise.resolve(DONE);
    const clock = this.#clock;
    const previous = this.#count;
    const tick = this.#burst ? previous + 1 : Math.max(previous + 1, this.#latestDue(clock.now()));
    this.#count = tick;
    const time = this.#start + tick * this.#period;
    const ticked = suspend<boolean>(this.#wait, "interval", (waiter) => {
      if (time <= clock.now()) {
        waiter.resolve(true);
        return undefined;
      }
      const pending: Pending = {
        waiter,
        timer: clock.setTimer(time, () => {
          this.#pending.delete(pending);
          waiter.resolve(true);
        }),
      };
      this.#pending.add(pending);
      return () => {
        pending.timer.cancel();
        this.#pending.delete(pending);
      };
    });
    return ticked.then(
      (yes) => (yes ? { done: false, value: time } : DONE),
      (error: unknown) => {
        // Cancelled means it did not happen: the tick stays for the next call.
        if (this.#count === tick) this.#count = previous;
        throw error;
      },
    );
  }

  /** Ends the iteration: clears the timer of a pending `next()` at once, which then yields done. */
  return(): Promise<IteratorResult<number, undefined>> {
    this.#done = true;
    for (const { waiter, timer } of this.#pending) {
      timer.cancel();
      waiter.resolve(false);
    }
    this.#pending.clear();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The number of the latest tick due at `now` (0 when none is), exact despite rounding. */
  #latestDue(now: number): number {
    const start = this.#start;
    const period = this.#period;
    let tick = Math.floor((now - start) / period);
    if (start + (tick + 1) * period <= now) tick++;
    else if (tick > 0 && start + tick * period > now) tick--;
    return tick;
  }

  get [Symbol.toStringTag](): string {
    return "Interval";
  }
}

/**
 * Ticks every `ms` milliseconds on the options' clock: an async iterator of the ticks' scheduled
 * times (`start + n · ms` for tick `n`, where `start` is `now()` when `interval` was called).
 *
 * The first tick is due `ms` after the call, as with `setInterval`. The grid never drifts: a late
 * consumer gets the missed ticks according to `missed` (see {@link IntervalOptions}). No timer
 * runs between ticks: a timer exists only while a `next()` is waiting, and `return()` (a `break`
 * out of `for await`) clears it at once. Each `next()` is a wait like `sleep`'s: given a
 * scope it is a Weft wait (blocked on `"interval"`) that rejects with the scope's
 * `CancelledError`; given `{ signal }` it rejects with `signal.reason`. A cancelled `next()`
 * consumes no tick. A tick already due when `next()` is called is yielded at once, without a
 * timer. After `return()`, `next()` resolves `{ done: true }`.
 *
 * @param ms - The period: a positive, finite number of milliseconds.
 * @param options - A scope, or `{ signal?, clock?, scope?, missed? }` (required in the types, so that
 *   a forgotten scope does not compile).
 * @returns An async iterable iterator of tick times.
 * @throws `RangeError` (synchronously) when `ms` is not positive and finite; `TypeError` for a bad
 * `missed` or bad options.
 * @example
 * ```ts
 * import { VirtualClock, interval } from "@weft/timers";
 *
 * const clock = new VirtualClock();
 * const seen: number[] = [];
 * const consumer = (async () => {
 *   for await (const time of interval(100, { clock })) {
 *     seen.push(time);
 *     if (seen.length === 3) break; // clears the interval's timer
 *   }
 * })();
 * await clock.runAll();
 * await consumer;
 * console.log(seen, clock.pending); // [ 100, 200, 300 ] 0
 * ```
 */
export function interval(ms: number, options: IntervalOptions): AsyncIterableIterator<number> {
  if (typeof ms !== "number" || !(ms > 0 && ms !== Number.POSITIVE_INFINITY)) {
    throw numberError(ms, "ms", "a positive finite number of milliseconds");
  }
  const { clock, wait } = resolveOptions(options);
  const missed = options?.missed ?? "skip";
  if (missed !== "skip" && missed !== "burst") {
    throw new TypeError(
      `Expected \`missed\` to be "skip" or "burst", got ${describeValue(missed)}`,
    );
  }
  return new Interval(ms, missed === "burst", clock, wait);
}
