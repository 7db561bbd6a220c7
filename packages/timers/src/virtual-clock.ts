import type { Clock, TimerHandle } from "@weft/core";
import {
  assertFunction,
  assertNumber,
  assertOptions,
  describeValue,
  macrotask,
  numberError,
} from "@weft/core/internal";
import { type HeapTimer, TimerHeap } from "./internal/timer-heap.ts";

/**
 * Options of the {@link VirtualClock} constructor.
 *
 * A `start` that is not a finite number makes the constructor throw a `RangeError`.
 *
 * @example
 * ```ts
 * import { VirtualClock } from "@weft/timers";
 *
 * const clock = new VirtualClock({ start: 1000 });
 * clock.setTimer(1500, () => console.log("fired at", clock.now())); // fired at 1500
 * await clock.runAll();
 * ```
 */
export interface VirtualClockOptions {
  /** The initial `now()`, a finite number. Defaults to 0. */
  start?: number | undefined;
  /**
   * For test harnesses: returns the key that orders timers due at the same instant (smaller first).
   * Defaults to registration order; a seeded random source explores other legal orders.
   */
  order?: (() => number) | undefined;
}

/**
 * Options of {@link VirtualClock.runAll}: how many timers it may fire before it gives up.
 *
 * Past the limit, `runAll` rejects with an `Error` and leaves the remaining timers pending.
 *
 * @example
 * ```ts
 * import { VirtualClock } from "@weft/timers";
 *
 * const clock = new VirtualClock();
 * const tick = (): void => void clock.setTimer(clock.now() + 1, tick); // re-arms forever
 * tick();
 * await clock.runAll({ limit: 5 }).catch((error: Error) => console.log(error.message));
 * console.log(clock.now(), clock.pending); // 5 1
 * ```
 */
export interface RunAllOptions {
  /** The most timers to fire before giving up with an error. Defaults to 10,000. */
  limit?: number | undefined;
}

function assertFiniteTime(value: unknown, name: string): asserts value is number {
  assertNumber(value, name);
  if (!Number.isFinite(value)) {
    throw new RangeError(`Expected \`${name}\` to be a finite number, got ${describeValue(value)}`);
  }
}

const never: TimerHandle = Object.freeze({ cancel() {} });

/** The most macrotask turns a clock queues at once (see `#fireEach`). */
const maxBatch = 1024;

/** Rethrows what timer callbacks threw: the error itself, or an `AggregateError` of several. */
function rethrow(errors: unknown[] | undefined): void {
  if (errors === undefined) return;
  if (errors.length === 1) throw errors[0];
  throw new AggregateError(errors, `${errors.length} VirtualClock timer callbacks threw`);
}

/**
 * A {@link Clock} whose time moves only when told to: the clock of tests.
 *
 * Timers fire by due time, ties in the order they were set; each callback sees `now()` equal to its
 * own due time (a timer set in the past sees the current time). Between two firings, and before
 * the first and after the last, every pending microtask runs (through one real macrotask turn), so
 * continuations can set new timers, which also fire if they fall due inside the window. No real
 * timer is ever created. Timers live in a binary heap, not a list: O(log n) to set or fire, O(1)
 * amortised to cancel.
 *
 * A callback that throws does not stop the others: `advance`, `advanceTo`, `runNext` and `runAll`
 * finish their work, then reject with the error (an `AggregateError` when several threw).
 *
 * @example
 * ```ts
 * import { VirtualClock } from "@weft/timers";
 *
 * const clock = new VirtualClock();
 * const fired: number[] = [];
 * clock.setTimer(20, () => fired.push(clock.now()));
 * clock.setTimer(10, () => fired.push(clock.now()));
 * await clock.advance(15);
 * console.log(fired, clock.now(), clock.pending); // [ 10 ] 15 1
 * await clock.runAll();
 * console.log(fired, clock.now()); // [ 10, 20 ] 20
 * ```
 */
export class VirtualClock implements Clock {
  #now: number;
  readonly #timers: TimerHeap;

  /**
   * @param options - `start`: the initial time (default 0).
   * @throws `RangeError` when `start` is not a finite number.
   */
  constructor(options?: VirtualClockOptions) {
    assertOptions(options, "options");
    const start = options?.start ?? 0;
    assertFiniteTime(start, "start");
    this.#now = start;
    const order = options?.order;
    if (order !== undefined) assertFunction(order, "order");
    this.#timers = new TimerHeap(order);
  }

  /** The current virtual time in milliseconds. */
  now(): number {
    return this.#now;
  }

  /** How many timers are set and have neither fired nor been cancelled. */
  get pending(): number {
    return this.#timers.size;
  }

  /** The due time of the next timer, or `undefined` when none is pending. */
  get next(): number | undefined {
    return this.#timers.peek()?.time;
  }

  /**
   * Runs `callback` when the clock reaches `time`. A time at or before `now()` fires at the next
   * `advance` (even `advance(0)`), `runNext` or `runAll`, never synchronously.
   * @param time - Absolute virtual time; `Infinity` never fires (and is not counted as pending).
   * @param callback - Called with no arguments.
   * @returns A handle whose `cancel()` removes the timer (idempotent).
   * @throws `RangeError` when `time` is NaN; `TypeError` when `callback` is not a function.
   */
  setTimer(time: number, callback: () => void): TimerHandle {
    assertNumber(time, "time");
    assertFunction(callback, "callback");
    if (time === Number.POSITIVE_INFINITY) return never;
    return this.#timers.add(time, callback);
  }

  /**
   * Moves time forward by `ms`, firing every timer due up to and including the new time, in order.
   * Resolves once the last firing's microtasks have run; `now()` is then the target.
   * @param ms - A non-negative finite duration.
   * @returns A promise that resolves when time has reached the target.
   * @throws `RangeError` (synchronously) for a negative, NaN or infinite `ms`; time is then
   * unchanged. The promise rejects with what a timer callback threw.
   */
  advance(ms: number): Promise<void> {
    assertFiniteTime(ms, "ms");
    if (ms < 0) {
      throw new RangeError(`Expected \`ms\` to be non-negative, got ${describeValue(ms)}`);
    }
    return this.#runUntil(this.#now + ms);
  }

  /**
   * Moves time forward to `time`, firing every timer due up to and including it, in order.
   * @param time - An absolute time, not before `now()`.
   * @returns A promise that resolves when time has reached `time`.
   * @throws `RangeError` (synchronously) when `time` is before `now()` or not finite.
   */
  advanceTo(time: number): Promise<void> {
    assertFiniteTime(time, "time");
    if (time < this.#now) {
      throw new RangeError(
        `Expected \`time\` to be at or after now (${this.#now}), got ${describeValue(time)}`,
      );
    }
    return this.#runUntil(time);
  }

  /**
   * Lets pending microtasks run, then jumps to the next timer's due time and fires it (only it).
   * @returns `false` when no timer was pending.
   */
  async runNext(): Promise<boolean> {
    await macrotask();
    const timer = this.#timers.shiftDue(Number.POSITIVE_INFINITY);
    if (timer === undefined) return false;
    const errors = this.#fire(timer, undefined);
    await macrotask();
    rethrow(errors);
    return true;
  }

  /**
   * Fires timers, in order and moving time, until none is pending.
   * @param options - `limit`: the most firings (default 10,000).
   * @returns A promise that resolves when no timer is pending.
   * @throws `RangeError` (synchronously) for a bad limit. The promise rejects with an `Error` past
   * the limit (timers that keep re-arming, like an interval), leaving time at the last firing.
   */
  runAll(options?: RunAllOptions): Promise<void> {
    const limit = options?.limit ?? 10_000;
    if (!((Number.isInteger(limit) && limit >= 0) || limit === Number.POSITIVE_INFINITY)) {
      throw numberError(limit, "limit", "a non-negative integer or Infinity");
    }
    return this.#runAll(limit);
  }

  async #runAll(limit: number): Promise<void> {
    const timers = this.#timers;
    let fired = 0;
    const errors = await this.#fireEach(() => {
      if (fired >= limit) return undefined;
      const timer = timers.shiftDue(Number.POSITIVE_INFINITY);
      if (timer !== undefined) fired++;
      return timer;
    });
    if (timers.size > 0) {
      const pending = `${timers.size} ${timers.size === 1 ? "is" : "are"} still pending`;
      throw new Error(
        limit === 0
          ? `VirtualClock.runAll fired 0 timers, its limit, and ${pending} (raise \`limit\`)`
          : `VirtualClock.runAll fired ${limit} timers, its limit, and ${pending}; a timer may keep re-arming (raise \`limit\` or use advance())`,
        errors === undefined ? undefined : { cause: errors[0] },
      );
    }
    rethrow(errors);
  }

  async #runUntil(target: number): Promise<void> {
    const timers = this.#timers;
    const errors = await this.#fireEach(() => timers.shiftDue(target));
    if (target > this.#now) this.#now = target;
    rethrow(errors);
  }

  /**
   * Fires the timers `next` hands out, one per real macrotask turn, until it hands out none; resolves
   * with what their callbacks threw. Each turn picks its timer only when it runs, so after the
   * previous firing's microtasks have all run (they may have set earlier timers), and the turn that
   * finds none due comes after the last firing's microtasks too.
   *
   * The turns are queued in batches (1, 2, 4, … up to 1,024) instead of one after another: the
   * runtime runs a batch in one pass of its event loop, still draining microtasks between any two
   * turns, so a firing costs a turn, not a pass of the loop. A batch is queued when the previous
   * one is spent; turns left once `next` is exhausted do nothing.
   */
  #fireEach(next: () => HeapTimer | undefined): Promise<unknown[] | undefined> {
    return new Promise((resolve) => {
      let errors: unknown[] | undefined;
      let finished = false;
      let queued = 0;
      let batch = 1;
      const turn = (): void => {
        queued--;
        if (finished) return;
        const timer = next();
        if (timer === undefined) {
          finished = true;
          resolve(errors);
          return;
        }
        errors = this.#fire(timer, errors);
        if (queued === 0) queueBatch();
      };
      const queueBatch = (): void => {
        queued = batch;
        for (let i = 0; i < batch; i++) void macrotask().then(turn);
        if (batch < maxBatch) batch *= 2;
      };
      queueBatch();
    });
  }

  /** Runs `timer`, already removed, at its due time; returns `errors` plus what it threw, if anything. */
  #fire(timer: HeapTimer, errors: unknown[] | undefined): unknown[] | undefined {
    if (timer.time > this.#now) this.#now = timer.time;
    const callback = timer.callback;
    try {
      callback();
    } catch (error) {
      if (errors === undefined) return [error];
      errors.push(error);
    }
    return errors;
  }
}
