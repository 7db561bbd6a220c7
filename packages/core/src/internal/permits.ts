import { suspend, type WaitOptions } from "../suspend.ts";
import { type WaitEntry, WaitList } from "./wait-list.ts";

/**
 * The engine behind `Semaphore` and `Lock`: a counter of free permits and a FIFO of weighted
 * waiters, served strictly in arrival order (a heavy waiter at the head is not overtaken).
 *
 * A permit is taken only once `waiter.resolve()` has returned `true`: a waiter that was cancelled,
 * or whose deadline is due at this very instant, takes nothing, and the permit goes to the next
 * waiter. Waiters leave the line synchronously when cancelled, and the line is re-examined.
 */
export class Permits {
  /** Free permits. */
  value: number;
  /** The most permits ever free at once: the initial value, or more after extra releases. */
  peak: number;
  readonly #label: string;
  readonly #queue = new WaitList<void>();
  #pumping = false;

  constructor(value: number, label: string) {
    this.value = value;
    this.peak = value;
    this.#label = label;
  }

  /** How many callers are queued. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Takes `weight` permits if nobody is waiting and enough are free. */
  tryAcquire(weight: number): boolean {
    if (this.#queue.size > 0 || this.value < weight) return false;
    this.value -= weight;
    return true;
  }

  /** Waits, FIFO, for `weight` permits. */
  acquire(options: WaitOptions | undefined, weight: number): Promise<void> {
    return suspend<void>(options, this.#label, (waiter) => {
      if (this.#queue.size === 0 && this.value >= weight) {
        // `resolve` returns false when a deadline due now wins: then nothing is taken.
        if (waiter.resolve()) this.value -= weight;
        return undefined;
      }
      const entry = this.#queue.push(waiter, weight);
      return () => this.#withdraw(entry);
    });
  }

  /** Returns `weight` permits and hands them to the waiters they now satisfy. Never blocks. */
  release(weight: number): void {
    this.value += weight;
    if (this.value > this.peak) this.peak = this.value;
    this.#pump();
  }

  #withdraw(entry: WaitEntry<void>): void {
    // The head leaving may let the next waiters through.
    if (this.#queue.remove(entry)) this.#pump();
  }

  #pump(): void {
    // Resolving a waiter can cancel other waiters synchronously (a due deadline of a shared
    // scope); their withdrawal lands here while the loop below re-reads the head anyway.
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      const queue = this.#queue;
      for (
        let entry = queue.first;
        entry !== undefined && entry.weight <= this.value;
        entry = queue.first
      ) {
        queue.remove(entry);
        if (entry.waiter.resolve()) this.value -= entry.weight;
      }
    } finally {
      this.#pumping = false;
    }
  }
}
