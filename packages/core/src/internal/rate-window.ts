import type { Clock, TimerHandle } from "../clock.ts";

/**
 * A sliding-window rate limit: at most `limit` starts within any `interval` ms. It remembers the
 * last `limit` start times in a ring; the next start is allowed once the oldest of them is
 * `interval` ms old. While a start is held back, one timer calls `onReady` when it is allowed.
 */
export class RateWindow {
  readonly limit: number;
  readonly interval: number;
  readonly #starts: number[] = [];
  /** Where the oldest start is, once the ring is full. */
  #oldest = 0;
  readonly #onReady: () => void;
  #timer: TimerHandle | undefined = undefined;
  #timerAt = Number.NaN;

  constructor(limit: number, interval: number, onReady: () => void) {
    this.limit = limit;
    this.interval = interval;
    this.#onReady = onReady;
  }

  /** The earliest time at which another start is allowed. */
  nextStart(): number {
    const starts = this.#starts;
    if (starts.length < this.limit) return Number.NEGATIVE_INFINITY;
    return (starts[this.#oldest] as number) + this.interval;
  }

  /** Records a start at `now`. */
  record(now: number): void {
    const starts = this.#starts;
    if (starts.length < this.limit) {
      starts.push(now);
      return;
    }
    starts[this.#oldest] = now;
    this.#oldest = this.#oldest + 1 === this.limit ? 0 : this.#oldest + 1;
  }

  /** Calls `onReady` at `at` on `clock`, replacing any earlier wake-up. */
  wakeAt(clock: Clock, at: number): void {
    if (this.#timer !== undefined && this.#timerAt === at) return;
    this.#timer?.cancel();
    this.#timerAt = at;
    this.#timer = clock.setTimer(at, this.#fire);
  }

  /** Cancels the pending wake-up, if any: nothing is held back any more. */
  cancelWake(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Number.NaN;
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#timerAt = Number.NaN;
    this.#onReady();
  };
}
