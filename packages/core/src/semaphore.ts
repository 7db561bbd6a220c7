import { Permits } from "./internal/permits.ts";
import { assertCount, assertFunction } from "./internal/validate.ts";
import { assertWaitTarget } from "./internal/wait-options.ts";
import type { WaitOptions } from "./suspend.ts";

/**
 * A weighted counting semaphore: at most `value` permits are handed out at a time, to waiters in
 * strict arrival order (asyncio's `Semaphore`, with Go's weights).
 *
 * Waiters are served FIFO: the longest waiter is served first, and a heavy waiter at the head is
 * not overtaken by lighter ones behind it. Releasing never blocks; a `release` that hands its
 * permits straight to a waiter leaves `value` unchanged. Like asyncio's (unbounded) semaphore,
 * `release` may raise `value` above its initial value. A cancelled `acquire` holds no permit and
 * loses none: a release racing with the cancellation hands the permit to the next waiter.
 *
 * Its capacity is the most permits it has had free at once (its initial value, more after extra
 * releases, and at least 1): asking for a larger weight is a bug, and throws at once rather than
 * waiting forever.
 *
 * @example
 * ```ts
 * import { Semaphore, run, taskGroup } from "@weft/core";
 *
 * const connections = new Semaphore(2);
 * let open = 0;
 * let peak = 0;
 * await run((scope) =>
 *   taskGroup(scope, async (group) => {
 *     for (let i = 0; i < 5; i++) {
 *       group.spawn((s) =>
 *         connections.withPermit(s, async () => {
 *           peak = Math.max(peak, ++open);
 *           await Promise.resolve();
 *           open--;
 *         }),
 *       );
 *     }
 *   }),
 * );
 * console.log(peak, connections.value); // 2 2
 * ```
 */
export class Semaphore {
  readonly #permits: Permits;

  /**
   * @param value - The initial number of permits: a non-negative integer.
   * @throws `TypeError`/`RangeError` when `value` is not a non-negative integer.
   */
  constructor(value: number) {
    assertCount(value, "value");
    this.#permits = new Permits(value, "Semaphore.acquire");
  }

  /** The number of free permits. */
  get value(): number {
    return this.#permits.value;
  }

  /** How many callers are waiting in `acquire`. */
  get waiting(): number {
    return this.#permits.queued;
  }

  /**
   * Waits until `weight` permits are free and it is this caller's turn, then takes them.
   *
   * A checkpoint: with a cancelled scope (or an aborted signal) it rejects at once, taking
   * nothing. Cancelled while waiting, it leaves the line at once and rejects with the scope's
   * `CancelledError` (or the signal's reason), holding no permit.
   *
   * @param options - A scope or `{ signal }`; omitted, the wait cannot be cancelled. An object
   *   without a signal (`{}`) throws a `TypeError`: nothing could cancel that wait.
   * @param weight - How many permits to take (default 1): a non-negative integer no larger than
   *   the semaphore's capacity (the most permits it has had free at once, at least 1).
   * @returns A promise that resolves once the permits are held.
   * @throws `TypeError`/`RangeError` (synchronously) for a bad `weight`, e.g. one larger than the capacity.
   * @example
   * ```ts
   * import { Semaphore, run } from "@weft/core";
   *
   * const memory = new Semaphore(10);
   * await run(async (scope) => {
   *   await memory.acquire(scope, 4);
   *   console.log(memory.value); // 6
   *   memory.release(4);
   * });
   * ```
   */
  acquire(options?: WaitOptions, weight = 1): Promise<void> {
    this.#checkWeight(weight);
    return this.#permits.acquire(options, weight);
  }

  /**
   * Takes `weight` permits if they are free now and nobody is waiting; never blocks.
   * @param weight - How many permits to take (default 1).
   * @returns `true` if the permits were taken.
   * @throws `TypeError`/`RangeError` for a bad `weight`.
   * @example
   * ```ts
   * import { Semaphore } from "@weft/core";
   *
   * const semaphore = new Semaphore(1);
   * console.log(semaphore.tryAcquire(), semaphore.tryAcquire()); // true false
   * ```
   */
  tryAcquire(weight = 1): boolean {
    this.#checkWeight(weight);
    return this.#permits.tryAcquire(weight);
  }

  /**
   * Returns `weight` permits, handing them at once to the waiters at the head of the line that
   * they satisfy. Never blocks.
   * @param weight - How many permits to return (default 1): a non-negative integer.
   * @throws `TypeError`/`RangeError` (synchronously) for a bad `weight`.
   * @example
   * ```ts
   * import { Semaphore } from "@weft/core";
   *
   * const semaphore = new Semaphore(0);
   * semaphore.release(2);
   * console.log(semaphore.value); // 2
   * ```
   */
  release(weight = 1): void {
    assertCount(weight, "weight");
    this.#permits.release(weight);
  }

  /**
   * Runs `fn` while holding `weight` permits, and releases them when it settles, also when it
   * throws. If the acquire is cancelled, `fn` is not called and nothing is held.
   * @param options - A scope or `{ signal }` for the acquire (required: a forgotten scope would hold
   *   the permits past every cancellation).
   * @param fn - The work to do while holding the permits.
   * @param weight - How many permits to hold (default 1).
   * @returns What `fn` returns.
   * @throws Whatever `fn` throws; `CancelledError` when the acquire is cancelled; `TypeError`
   *   (synchronously) when `fn` is not a function, or `options` is missing or has no signal.
   * @example
   * ```ts
   * import { Semaphore, run } from "@weft/core";
   *
   * const semaphore = new Semaphore(3);
   * const value = await run((scope) => semaphore.withPermit(scope, () => semaphore.value, 2));
   * console.log(value, semaphore.value); // 1 3
   * ```
   */
  withPermit<T>(options: WaitOptions, fn: () => Promise<T> | T, weight = 1): Promise<T> {
    assertWaitTarget(options, "options");
    assertFunction(fn, "fn");
    this.#checkWeight(weight);
    return this.#withPermit(options, fn, weight);
  }

  async #withPermit<T>(options: WaitOptions, fn: () => Promise<T> | T, weight: number): Promise<T> {
    await this.#permits.acquire(options, weight);
    try {
      return await fn();
    } finally {
      this.#permits.release(weight);
    }
  }

  #checkWeight(weight: unknown): asserts weight is number {
    assertCount(weight, "weight");
    const capacity = Math.max(1, this.#permits.peak);
    if (weight > capacity) {
      throw new RangeError(
        `Expected \`weight\` to be at most the semaphore's capacity (${capacity}), got \`${weight}\` (number)`,
      );
    }
  }

  get [Symbol.toStringTag](): string {
    return "Semaphore";
  }
}
