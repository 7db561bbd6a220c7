import { assertPositiveInteger } from "./internal/validate.ts";
import { type WaitEntry, WaitList } from "./internal/wait-list.ts";
import { isScope, toScope } from "./is-scope.ts";
import type { ScopeImpl } from "./scope.ts";
import { suspend, type WaitOptions } from "./suspend.ts";

/**
 * A reusable rendezvous for a fixed number of tasks (asyncio's and trio-util's `Barrier`): each
 * `wait` blocks until `parties` tasks are waiting, then all of them pass together and the barrier
 * starts its next cycle.
 *
 * Each `wait` resolves with its arrival index in its cycle, `0` for the first arrival to
 * `parties - 1` for the one that completed the cycle. Cancellation withdraws the arrival: a
 * cancelled waiter does not count towards `parties` and does not pass, and the indices are given
 * in arrival order to the tasks that actually pass together, so they are always
 * `0 … parties - 1`.
 *
 * @example
 * ```ts
 * import { Barrier, run, taskGroup } from "@weft/core";
 *
 * const barrier = new Barrier(3);
 * const indices: number[] = [];
 * await run((scope) =>
 *   taskGroup(scope, async (group) => {
 *     for (let i = 0; i < 3; i++) group.spawn(async (s) => indices.push(await barrier.wait(s)));
 *   }),
 * );
 * console.log(indices); // [ 0, 1, 2 ]
 * ```
 */
export class Barrier {
  readonly #parties: number;
  /** The arrivals of the current cycle, in arrival order. */
  readonly #waiters = new WaitList<number>();
  /** The scopes of the arrivals, to settle due deadlines before a cycle completes. */
  readonly #scopes = new Map<WaitEntry<number>, ScopeImpl>();

  /**
   * @param parties - How many tasks pass together: a positive integer.
   * @throws `TypeError`/`RangeError` when `parties` is not a positive integer (0 included).
   */
  constructor(parties: number) {
    assertPositiveInteger(parties, "parties");
    this.#parties = parties;
  }

  /** How many tasks pass the barrier together. */
  get parties(): number {
    return this.#parties;
  }

  /** How many tasks are waiting in the current cycle. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /**
   * Arrives at the barrier and waits until `parties` tasks have arrived in this cycle.
   *
   * A checkpoint: with a cancelled scope (or an aborted signal) it rejects at once and does not
   * arrive. Cancelled while waiting, it withdraws its arrival and rejects with the scope's
   * `CancelledError` (or the signal's reason). A deadline due at the very instant the cycle
   * completes wins: that task withdraws and the others keep waiting.
   *
   * @param options - A scope or `{ signal }`; omitted, the wait cannot be cancelled. An object
   *   without a signal (`{}`) throws a `TypeError`: nothing could cancel that wait.
   * @returns This task's arrival index in its cycle, `0 … parties - 1`.
   * @example
   * ```ts
   * import { Barrier, run } from "@weft/core";
   *
   * const solo = new Barrier(1);
   * console.log(await run((scope) => solo.wait(scope))); // 0
   * ```
   */
  wait(options?: WaitOptions): Promise<number> {
    const scope = isScope(options) ? toScope(options, "options") : undefined;
    return suspend<number>(options, "Barrier.wait", (waiter) => {
      const waiters = this.#waiters;
      if (waiters.size + 1 >= this.#parties) {
        this.#expireDeadlines(scope);
        // A deadline that fired above withdrew its waiter (this one included, if so).
        if (waiter.settled) return undefined;
        if (waiters.size + 1 >= this.#parties) {
          waiter.resolve(this.#complete());
          return undefined;
        }
      }
      const entry = waiters.push(waiter, 1);
      if (scope !== undefined) this.#scopes.set(entry, scope);
      return () => {
        waiters.remove(entry);
        this.#scopes.delete(entry);
      };
    });
  }

  /** Cancels, now, the arrivals whose deadlines are due, so that they withdraw before the cycle completes. */
  #expireDeadlines(own: ScopeImpl | undefined): void {
    const scopes = [...this.#scopes.values()];
    if (own !== undefined) scopes.push(own);
    for (const scope of scopes) scope.expireDeadlines();
  }

  /**
   * Lets every waiting arrival of this cycle pass, with its index, and starts the next cycle.
   * @returns The index of the arrival completing the cycle.
   */
  #complete(): number {
    const waiters = this.#waiters;
    this.#scopes.clear();
    let index = 0;
    for (let entry = waiters.shift(); entry !== undefined; entry = waiters.shift()) {
      if (entry.waiter.resolve(index)) index++;
    }
    return index;
  }

  get [Symbol.toStringTag](): string {
    return "Barrier";
  }
}
