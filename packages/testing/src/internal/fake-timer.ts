import type { TimerHandle } from "@weft/core";
import type { TestClock } from "../test-clock.ts";

/**
 * What a patched timer was created by.
 * @example
 * ```ts
 * import { fakeTime, TimerLeakError, type TimerKind } from "@weft/testing";
 *
 * const error = await fakeTime(async () => void setTimeout(() => {}, 50), { patchGlobals: true })
 *   .catch((caught: unknown) => caught);
 * const kinds: TimerKind[] = TimerLeakError.is(error) ? error.timers.map((timer) => timer.kind) : [];
 * console.log(kinds); // [ 'setTimeout' ]
 * ```
 */
export type TimerKind = "setTimeout" | "setInterval" | "setImmediate";

export type Callback = (...args: unknown[]) => void;

/** A timer created through a patched global: shaped like Node's `Timeout`, usable as a number. */
export class FakeTimer {
  readonly id: number;
  readonly kind: TimerKind;
  due = 0;
  #handle: TimerHandle | undefined = undefined;
  #refed = true;
  #cleared = false;
  readonly #registry: TimerRegistry;
  readonly #callback: Callback;
  readonly #args: unknown[];
  readonly #delay: number;

  constructor(
    registry: TimerRegistry,
    kind: TimerKind,
    callback: Callback,
    delay: number,
    args: unknown[],
  ) {
    this.#registry = registry;
    this.id = registry.nextId++;
    this.kind = kind;
    this.#callback = callback;
    this.#delay = delay;
    this.#args = args;
    this.#arm();
  }

  #arm(): void {
    const clock = this.#registry.clock;
    this.due = clock.now() + this.#delay;
    this.#registry.active.set(this.id, this);
    this.#handle = clock.setTimer(this.due, () => this.#fire());
  }

  #fire(): void {
    this.#handle = undefined;
    if (this.kind === "setInterval") this.#arm();
    else this.#registry.active.delete(this.id);
    this.#callback(...this.#args);
  }

  clear(): void {
    this.#cleared = true;
    this.#handle?.cancel();
    this.#handle = undefined;
    this.#registry.active.delete(this.id);
  }

  ref(): this {
    this.#refed = true;
    return this;
  }

  unref(): this {
    this.#refed = false;
    return this;
  }

  hasRef(): boolean {
    return this.#refed;
  }

  /**
   * Restarts the timer from now with its own delay, as Node's `Timeout.refresh()`: a pending timer
   * is rescheduled, and one that has already fired is armed again; a cleared one stays cleared.
   */
  refresh(): this {
    if (this.#cleared) return this;
    this.#handle?.cancel();
    this.#arm();
    return this;
  }

  close(): this {
    this.clear();
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

/** The patched timers of one run. */
export class TimerRegistry {
  readonly clock: TestClock;
  readonly active: Map<number, FakeTimer> = new Map();
  nextId = 1;

  constructor(clock: TestClock) {
    this.clock = clock;
  }

  find(handle: unknown): FakeTimer | undefined {
    if (handle instanceof FakeTimer)
      return this.active.get(handle.id) === handle ? handle : undefined;
    if (typeof handle === "number" || typeof handle === "string")
      return this.active.get(Number(handle));
    return undefined;
  }

  /** A `setTimeout`-shaped function making timers of `kind`, with Node's error for a non-function. */
  maker(kind: TimerKind): (callback: Callback, ms?: unknown, ...args: unknown[]) => FakeTimer {
    return (callback, ms, ...args) => {
      if (typeof callback !== "function") {
        throw new TypeError(
          `The "callback" argument must be of type function. Received ${String(callback)}`,
        );
      }
      return new FakeTimer(this, kind, callback, delayOf(ms), args);
    };
  }
}

function delayOf(ms: unknown): number {
  const delay = Number(ms);
  return delay > 0 && Number.isFinite(delay) ? delay : 0;
}
