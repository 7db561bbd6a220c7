import { WaitList } from "./internal/wait-list.ts";
import { suspend, type WaitOptions } from "./suspend.ts";

/**
 * A one-shot flag that tasks can wait for (trio's `Event`): once `set`, it stays set, and every
 * current and future `wait` resolves.
 *
 * There is no `clear()`, as in trio: an event that can be unset invites lost wake-ups; make a new
 * `Event` for the next round. Waiters are woken in the order they started waiting.
 *
 * @example
 * ```ts
 * import { Event, run, taskGroup } from "@weft/core";
 *
 * const ready = new Event();
 * await run((scope) =>
 *   taskGroup(scope, async (group) => {
 *     group.spawn(async (s) => {
 *       await ready.wait(s);
 *       console.log("ready"); // ready
 *     });
 *     ready.set();
 *   }),
 * );
 * ```
 */
export class Event {
  #set = false;
  readonly #waiters = new WaitList<void>();

  /** Whether `set()` has been called. */
  get isSet(): boolean {
    return this.#set;
  }

  /**
   * Sets the event and wakes every waiter. Idempotent; never blocks.
   * @example
   * ```ts
   * import { Event } from "@weft/core";
   *
   * const event = new Event();
   * event.set();
   * console.log(event.isSet); // true
   * ```
   */
  set(): void {
    if (this.#set) return;
    this.#set = true;
    const waiters = this.#waiters;
    waiters.wake(waiters.size, undefined);
  }

  /**
   * Waits until the event is set; resolves at once (on the next microtask) if it already is.
   *
   * A checkpoint even when the event is set: with a cancelled scope (or an aborted signal) it
   * rejects with the scope's `CancelledError` (or the signal's reason). Cancelled while waiting,
   * it stops waiting at once.
   *
   * @param options - A scope or `{ signal }`; omitted, the wait cannot be cancelled. An object
   *   without a signal (`{}`) throws a `TypeError`: nothing could cancel that wait.
   * @returns A promise that resolves once the event is set.
   * @example
   * ```ts
   * import { Event, moveOnAfter, run } from "@weft/core";
   *
   * const never = new Event();
   * const outcome = await run((scope) => moveOnAfter(scope, 10, (s) => never.wait(s)));
   * console.log(outcome); // undefined
   * ```
   */
  wait(options?: WaitOptions): Promise<void> {
    return suspend<void>(options, "Event.wait", (waiter) => {
      if (this.#set) {
        waiter.resolve();
        return undefined;
      }
      const entry = this.#waiters.push(waiter, 1);
      return () => this.#waiters.remove(entry);
    });
  }

  get [Symbol.toStringTag](): string {
    return "Event";
  }
}
