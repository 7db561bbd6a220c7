import type { Waiter } from "../suspend.ts";
import { append, type ListNode, unlink } from "./linked-list.ts";

/** One blocked caller of a sync primitive: its waiter and what it asks for. */
export class WaitEntry<T> implements ListNode<WaitEntry<T>> {
  readonly waiter: Waiter<T>;
  /** How many permits the waiter asks for (1 where the primitive has no weights). */
  readonly weight: number;
  prev: WaitEntry<T> | undefined = undefined;
  next: WaitEntry<T> | undefined = undefined;

  constructor(waiter: Waiter<T>, weight: number) {
    this.waiter = waiter;
    this.weight = weight;
  }
}

/**
 * A FIFO of waiters with O(1) append, removal of the head and removal of any entry (a cancelled
 * waiter leaves the line at once, wherever it stands).
 */
export class WaitList<T> {
  first: WaitEntry<T> | undefined = undefined;
  size = 0;

  /** Appends a waiter; returns its entry. */
  push(waiter: Waiter<T>, weight: number): WaitEntry<T> {
    const entry = new WaitEntry(waiter, weight);
    this.first = append(this.first, entry);
    this.size++;
    return entry;
  }

  /** Removes `entry`; returns `false` if it was not in the list. */
  remove(entry: WaitEntry<T>): boolean {
    if (entry.prev === undefined) return false;
    this.first = unlink(this.first, entry);
    this.size--;
    return true;
  }

  /** Removes and returns the head, or `undefined` when empty. */
  shift(): WaitEntry<T> | undefined {
    const entry = this.first;
    if (entry !== undefined) this.remove(entry);
    return entry;
  }

  /**
   * Resolves waiters from the head, in order, with `value`, until `count` of them accepted it.
   * A waiter that already ended (cancelled) is dropped without counting.
   * @returns How many waiters were woken.
   */
  wake(count: number, value: T): number {
    let woken = 0;
    while (woken < count) {
      const entry = this.shift();
      if (entry === undefined) break;
      if (entry.waiter.resolve(value)) woken++;
    }
    return woken;
  }
}
