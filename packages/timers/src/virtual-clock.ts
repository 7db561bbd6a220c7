import type { Clock, TimerHandle } from "@weft/core";
import { macrotask } from "./internal/macrotask.ts";

/** Options of the {@link VirtualClock} constructor. */
export interface VirtualClockOptions {
  /** The initial `now()`. Defaults to 0. */
  start?: number | undefined;
}

/** Options of {@link VirtualClock.runAll}. */
export interface RunAllOptions {
  /** The most timers to fire before giving up with an error. Defaults to 10,000. */
  limit?: number | undefined;
}

function describe(value: unknown): string {
  return typeof value === "string" ? `\`"${value}"\` (string)` : `\`${String(value)}\` (${typeof value})`;
}

function assertFiniteTime(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    const kind = typeof value === "number" ? RangeError : TypeError;
    throw new kind(`Expected \`${name}\` to be a finite number, got ${describe(value)}`);
  }
}

class VirtualTimer implements TimerHandle {
  /** Position in the heap; -1 once fired or cancelled. */
  index = -1;
  readonly time: number;
  readonly seq: number;
  readonly callback: () => void;
  readonly clock: VirtualClock;

  constructor(clock: VirtualClock, time: number, seq: number, callback: () => void) {
    this.clock = clock;
    this.time = time;
    this.seq = seq;
    this.callback = callback;
  }

  cancel(): void {
    if (this.index >= 0) this.clock.remove(this);
  }
}

const never: TimerHandle = { cancel() {} };

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/**
 * A {@link Clock} whose time moves only when told to: the clock of tests.
 *
 * Timers fire by due time, ties in the order they were set; each callback sees `now()` equal to its
 * own due time; between two firings every pending microtask runs (through one real macrotask turn),
 * so continuations can set new timers, which also fire if they fall due inside the window. No real
 * timer is ever created. Timers live in a binary heap: O(log n) to set, cancel or fire.
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
  #heap: VirtualTimer[] = [];
  #seq = 0;

  /**
   * @param options - `start`: the initial time (default 0).
   * @throws `RangeError` when `start` is not a finite number.
   */
  constructor(options?: VirtualClockOptions) {
    const start = options?.start ?? 0;
    assertFiniteTime(start, "start");
    this.#now = start;
  }

  /** The current virtual time in milliseconds. */
  now(): number {
    return this.#now;
  }

  /** How many timers are set and have neither fired nor been cancelled. */
  get pending(): number {
    return this.#heap.length;
  }

  /** The due time of the next timer, or `undefined` when none is pending. */
  get next(): number | undefined {
    return this.#heap[0]?.time;
  }

  /**
   * Runs `callback` when the clock reaches `time`. A time in the past fires at the next advance.
   * @param time - Absolute virtual time; `Infinity` never fires (and is not counted as pending).
   * @param callback - Called with no arguments.
   * @returns A handle whose `cancel()` removes the timer.
   * @throws `RangeError` when `time` is NaN; `TypeError` when `callback` is not a function.
   */
  setTimer(time: number, callback: () => void): TimerHandle {
    if (typeof time !== "number" || Number.isNaN(time)) {
      throw new (typeof time === "number" ? RangeError : TypeError)(
        `Expected \`time\` to be a number, got ${describe(time)}`,
      );
    }
    if (typeof callback !== "function") {
      throw new TypeError(`Expected \`callback\` to be a function, got ${describe(callback)}`);
    }
    if (time === Number.POSITIVE_INFINITY) return never;
    const timer = new VirtualTimer(this, time, this.#seq++, callback);
    const heap = this.#heap;
    timer.index = heap.length;
    heap.push(timer);
    this.#up(timer.index);
    return timer;
  }

  /**
   * Moves time forward by `ms`, firing every timer due up to and including the new time, in order.
   * Resolves once the last firing's microtasks have run; `now()` is then the target.
   * @param ms - A non-negative finite duration.
   * @throws `RangeError` (synchronously) for a negative, NaN or infinite `ms`; time is then unchanged.
   */
  advance(ms: number): Promise<void> {
    assertFiniteTime(ms, "ms");
    if (ms < 0) throw new RangeError(`Expected \`ms\` to be non-negative, got \`${ms}\` (number)`);
    return this.#runUntil(this.#now + ms);
  }

  /**
   * Moves time forward to `time`, firing every timer due up to and including it.
   * @param time - An absolute time, not before `now()`.
   * @throws `RangeError` when `time` is before `now()` or not finite.
   */
  advanceTo(time: number): Promise<void> {
    assertFiniteTime(time, "time");
    if (time < this.#now) {
      throw new RangeError(`Expected \`time\` to be at or after now (${this.#now}), got \`${time}\` (number)`);
    }
    return this.#runUntil(time);
  }

  /**
   * Jumps to the next timer's due time and fires it (and only it).
   * @returns `false` when no timer was pending.
   */
  async runNext(): Promise<boolean> {
    const timer = this.#heap[0];
    if (timer === undefined) return false;
    this.#fire(timer);
    await macrotask();
    return true;
  }

  /**
   * Fires timers, in order and moving time, until none is pending.
   * @param options - `limit`: the most firings (default 10,000).
   * @throws `Error` past the limit (timers that keep re-arming, like an interval); `RangeError` for a bad limit.
   */
  runAll(options?: RunAllOptions): Promise<void> {
    const limit = options?.limit ?? 10_000;
    if (typeof limit !== "number" || !(Number.isInteger(limit) || limit === Number.POSITIVE_INFINITY) || limit < 0) {
      throw new RangeError(`Expected \`limit\` to be a non-negative integer, got ${describe(limit)}`);
    }
    return this.#runAll(limit);
  }

  async #runAll(limit: number): Promise<void> {
    let fired = 0;
    await macrotask();
    while (this.#heap.length > 0) {
      if (fired >= limit) {
        throw new Error(
          `VirtualClock.runAll fired ${limit} timers and ${this.#heap.length} are still pending; a timer keeps re-arming (raise \`limit\` or use advance())`,
        );
      }
      await this.runNext();
      fired++;
    }
  }

  async #runUntil(target: number): Promise<void> {
    const heap = this.#heap;
    await macrotask();
    for (let timer = heap[0]; timer !== undefined && timer.time <= target; timer = heap[0]) {
      this.#fire(timer);
      await macrotask();
    }
    if (target > this.#now) this.#now = target;
  }

  #fire(timer: VirtualTimer): void {
    this.remove(timer);
    if (timer.time > this.#now) this.#now = timer.time;
    timer.callback();
  }

  /** Removes `timer` from the heap. */
  remove(timer: VirtualTimer): void {
    const heap = this.#heap;
    const index = timer.index;
    timer.index = -1;
    const last = heap.pop() as VirtualTimer;
    if (index === heap.length) return;
    heap[index] = last;
    last.index = index;
    if (index > 0 && before(last, heap[(index - 1) >> 1] as VirtualTimer)) this.#up(index);
    else this.#down(index);
  }

  #up(index: number): void {
    const heap = this.#heap;
    const timer = heap[index] as VirtualTimer;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as VirtualTimer;
      if (!before(timer, parent)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = timer;
    timer.index = index;
  }

  #down(index: number): void {
    const heap = this.#heap;
    const length = heap.length;
    const timer = heap[index] as VirtualTimer;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && before(heap[right] as VirtualTimer, heap[child] as VirtualTimer)) child = right;
      const candidate = heap[child] as VirtualTimer;
      if (!before(candidate, timer)) break;
      heap[index] = candidate;
      candidate.index = index;
      index = child;
    }
    heap[index] = timer;
    timer.index = index;
  }
}
