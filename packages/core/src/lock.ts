import { Permits } from "./internal/permits.ts";
import { assertFunction } from "./internal/validate.ts";
import { assertWaitTarget } from "./internal/wait-options.ts";
import type { WaitOptions } from "./suspend.ts";

/**
 * A mutual-exclusion lock for tasks (asyncio's `Lock`): one holder at a time, waiters served in
 * arrival order.
 *
 * The lock has no owner: any code may release it, as in asyncio. `release` hands the lock straight
 * to the longest waiter (it stays `locked`), and never blocks. A cancelled `acquire` never holds the
 * lock, and a release racing with the cancellation hands it to the next waiter instead.
 *
 * @example
 * ```ts
 * import { Lock, run, taskGroup } from "@weft/core";
 *
 * const lock = new Lock();
 * const log: string[] = [];
 * await run((scope) =>
 *   taskGroup(scope, async (group) => {
 *     for (const name of ["a", "b"]) {
 *       group.spawn((s) =>
 *         lock.withLock(s, async () => {
 *           log.push(`${name} in`);
 *           await Promise.resolve();
 *           log.push(`${name} out`);
 *         }),
 *       );
 *     }
 *   }),
 * );
 * console.log(log); // [ 'a in', 'a out', 'b in', 'b out' ]
 * ```
 */
export class Lock {
  readonly #permits = new Permits(1, "Lock.acquire");

  /** Whether the lock is held. */
  get locked(): boolean {
    return this.#permits.value === 0;
  }

  /** How many callers are waiting in `acquire`. */
  get waiting(): number {
    return this.#permits.queued;
  }

  /**
   * Waits until the lock is free and it is this caller's turn, then takes it.
   *
   * A checkpoint: with a cancelled scope (or an aborted signal) it rejects at once. Cancelled
   * while waiting, it leaves the line at once and rejects with the scope's `CancelledError` (or
   * the signal's reason), without holding the lock.
   *
   * @param options - A scope or `{ signal }`; omitted, the wait cannot be cancelled. An object
   *   without a signal (`{}`) throws a `TypeError`: nothing could cancel that wait.
   * @returns A promise that resolves once the lock is held.
   * @example
   * ```ts
   * import { Lock, run } from "@weft/core";
   *
   * const lock = new Lock();
   * await run(async (scope) => {
   *   await lock.acquire(scope);
   *   try {
   *     console.log(lock.locked); // true
   *   } finally {
   *     lock.release();
   *   }
   * });
   * ```
   */
  acquire(options?: WaitOptions): Promise<void> {
    return this.#permits.acquire(options, 1);
  }

  /**
   * Takes the lock if it is free and nobody is waiting; never blocks.
   * @returns `true` if the lock was taken.
   * @example
   * ```ts
   * import { Lock } from "@weft/core";
   *
   * const lock = new Lock();
   * console.log(lock.tryAcquire(), lock.tryAcquire()); // true false
   * ```
   */
  tryAcquire(): boolean {
    return this.#permits.tryAcquire(1);
  }

  /**
   * Releases the lock, handing it at once to the longest waiter if there is one. Never blocks.
   * @throws `Error` when the lock is not locked.
   * @example
   * ```ts
   * import { Lock } from "@weft/core";
   *
   * const lock = new Lock();
   * lock.tryAcquire();
   * lock.release();
   * console.log(lock.locked); // false
   * ```
   */
  release(): void {
    if (!this.locked)
      throw new Error(
        "Cannot release a Lock that is not locked (release() without a matching acquire)",
      );
    this.#permits.release(1);
  }

  /**
   * Runs `fn` while holding the lock and releases it when `fn` settles, also when it throws. If
   * the acquire is cancelled, `fn` is not called and the lock is not held.
   * @param options - A scope or `{ signal }` for the acquire (required: a forgotten scope would hold
   *   the lock past every cancellation).
   * @param fn - The critical section.
   * @returns What `fn` returns.
   * @throws Whatever `fn` throws; `CancelledError` when the acquire is cancelled; `TypeError`
   *   (synchronously) when `fn` is not a function, or `options` is missing or has no signal.
   * @example
   * ```ts
   * import { Lock, run } from "@weft/core";
   *
   * const lock = new Lock();
   * const inside = await run((scope) => lock.withLock(scope, () => lock.locked));
   * console.log(inside, lock.locked); // true false
   * ```
   */
  withLock<T>(options: WaitOptions, fn: () => Promise<T> | T): Promise<T> {
    assertWaitTarget(options, "options");
    assertFunction(fn, "fn");
    return this.#withLock(options, fn);
  }

  async #withLock<T>(options: WaitOptions, fn: () => Promise<T> | T): Promise<T> {
    await this.#permits.acquire(options, 1);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  get [Symbol.toStringTag](): string {
    return "Lock";
  }
}
