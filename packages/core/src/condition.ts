import { cancelScope } from "./cancel-scope.ts";
import { assertCount, describeValue } from "./internal/validate.ts";
import { WaitList } from "./internal/wait-list.ts";
import { isScope } from "./is-scope.ts";
import { Lock } from "./lock.ts";
import { suspend, type WaitOptions } from "./suspend.ts";

/**
 * A condition variable (asyncio's `Condition`): tasks holding its lock `wait` until another task
 * holding the lock calls `notify`.
 *
 * `wait` releases the lock, waits for a notification, and re-acquires the lock before it returns,
 * also when it is cancelled: as in asyncio, the lock is held again before the `CancelledError`
 * propagates (the re-acquire is shielded from the cancellation). Notifications go to waiters in the
 * order they started waiting; a cancelled waiter never consumes one. Spurious wake-ups are
 * allowed, so wait in a loop that re-checks the predicate.
 *
 * @example
 * ```ts
 * import { Condition, run, taskGroup } from "@weft/core";
 *
 * const condition = new Condition();
 * const items: number[] = [];
 * await run((scope) =>
 *   taskGroup(scope, async (group) => {
 *     group.spawn((s) =>
 *       condition.withLock(s, async () => {
 *         while (items.length === 0) await condition.wait(s);
 *         console.log(items.shift()); // 42
 *       }),
 *     );
 *     group.spawn((s) =>
 *       condition.withLock(s, () => {
 *         items.push(42);
 *         condition.notify();
 *       }),
 *     );
 *   }),
 * );
 * ```
 */
export class Condition {
  /** The lock that `wait` releases and re-acquires. */
  readonly lock: Lock;
  readonly #waiters = new WaitList<void>();

  /**
   * @param lock - The lock to use, e.g. one shared by several conditions. Defaults to a new `Lock`.
   * @throws `TypeError` when `lock` is not a `Lock`.
   */
  constructor(lock?: Lock) {
    if (lock !== undefined && !(lock instanceof Lock)) {
      throw new TypeError(`Expected \`lock\` to be a Lock, got ${describeValue(lock)}`);
    }
    this.lock = lock ?? new Lock();
  }

  /** Whether the underlying lock is held. */
  get locked(): boolean {
    return this.lock.locked;
  }

  /**
   * Acquires the underlying lock; see {@link Lock.acquire}.
   * @param options - A scope or `{ signal }`.
   * @returns A promise that resolves once the lock is held.
   * @example
   * ```ts
   * import { Condition, run } from "@weft/core";
   *
   * const condition = new Condition();
   * await run(async (scope) => {
   *   await condition.acquire(scope);
   *   console.log(condition.locked); // true
   *   condition.release();
   * });
   * ```
   */
  acquire(options?: WaitOptions): Promise<void> {
    return this.lock.acquire(options);
  }

  /**
   * Releases the underlying lock; see {@link Lock.release}.
   * @throws `Error` when the lock is not locked.
   * @example
   * ```ts
   * import { Condition } from "@weft/core";
   *
   * const condition = new Condition();
   * condition.lock.tryAcquire();
   * condition.release();
   * console.log(condition.locked); // false
   * ```
   */
  release(): void {
    this.lock.release();
  }

  /**
   * Runs `fn` while holding the underlying lock; see {@link Lock.withLock}.
   * @param options - A scope or `{ signal }` for the acquire (required: a forgotten scope would hold
   *   the lock past every cancellation).
   * @param fn - The critical section.
   * @returns What `fn` returns.
   * @throws Whatever `fn` throws; `CancelledError` when the acquire is cancelled; `TypeError`
   *   (synchronously) when `options` is missing or has no signal.
   * @example
   * ```ts
   * import { Condition, run } from "@weft/core";
   *
   * const condition = new Condition();
   * console.log(await run((scope) => condition.withLock(scope, () => condition.locked))); // true
   * ```
   */
  withLock<T>(options: WaitOptions, fn: () => Promise<T> | T): Promise<T> {
    return this.lock.withLock(options, fn);
  }

  /**
   * Releases the lock, waits until notified, and re-acquires the lock before returning.
   *
   * A checkpoint: with a cancelled scope it rejects at once, keeping the lock. Cancelled while
   * waiting for the notification, it re-acquires the lock (shielded: the wait for the lock cannot
   * be cancelled) and then rejects with the `CancelledError`; it consumed no notification.
   *
   * @param options - A scope or `{ signal }`; omitted, the wait cannot be cancelled. An object
   *   without a signal (`{}`) throws a `TypeError`: nothing could cancel that wait.
   * @returns A promise that resolves, with the lock held, after a notification.
   * @throws `Error` (synchronously) when the lock is not held.
   * @example
   * ```ts
   * import { Condition, run } from "@weft/core";
   *
   * const condition = new Condition();
   * await run(async (scope) => {
   *   await condition.acquire(scope);
   *   const waiting = condition.wait(scope);
   *   console.log(condition.locked); // false
   *   await condition.withLock(scope, () => condition.notify());
   *   await waiting;
   *   console.log(condition.locked); // true
   *   condition.release();
   * });
   * ```
   */
  wait(options?: WaitOptions): Promise<void> {
    this.#assertLocked("wait");
    let entered = false;
    const notified = suspend<void>(options, "Condition.wait", (waiter) => {
      entered = true;
      const entry = this.#waiters.push(waiter, 1);
      return () => this.#waiters.remove(entry);
    });
    // A checkpoint that threw at once: the lock was never released.
    if (!entered) return notified;
    this.lock.release();
    return this.#reacquire(options, notified);
  }

  async #reacquire(options: WaitOptions | undefined, notified: Promise<void>): Promise<void> {
    let failure: { error: unknown } | undefined;
    try {
      await notified;
    } catch (error) {
      failure = { error };
    }
    if (isScope(options)) {
      await cancelScope(options, (shielded) => this.lock.acquire(shielded), {
        shield: true,
        name: "Condition.wait",
      });
    } else {
      await this.lock.acquire();
    }
    if (failure !== undefined) throw failure.error;
  }

  /**
   * Wakes up to `n` tasks waiting in `wait`, longest waiter first. Never blocks.
   * @param n - How many waiters to wake (default 1): a non-negative integer.
   * @throws `Error` when the lock is not held; `TypeError`/`RangeError` for a bad `n`.
   * @example
   * ```ts
   * import { Condition } from "@weft/core";
   *
   * const condition = new Condition();
   * condition.lock.tryAcquire();
   * condition.notify(); // nobody is waiting: nothing happens
   * condition.release();
   * ```
   */
  notify(n = 1): void {
    assertCount(n, "n");
    this.#assertLocked("notify");
    this.#waiters.wake(n, undefined);
  }

  /**
   * Wakes every task waiting in `wait`. Never blocks.
   * @throws `Error` when the lock is not held.
   * @example
   * ```ts
   * import { Condition, run } from "@weft/core";
   *
   * const condition = new Condition();
   * await run((scope) => condition.withLock(scope, () => condition.notifyAll()));
   * ```
   */
  notifyAll(): void {
    this.#assertLocked("notifyAll");
    this.#waiters.wake(this.#waiters.size, undefined);
  }

  #assertLocked(method: string): void {
    if (!this.lock.locked) {
      throw new Error(`Cannot call Condition.${method}() without holding the condition's lock`);
    }
  }

  get [Symbol.toStringTag](): string {
    return "Condition";
  }
}
