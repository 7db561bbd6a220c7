/**
 * The count of a queue's unfinished items (put, not yet marked done), and the `join` calls that
 * wait for it to reach 0.
 * @internal
 * @packageDocumentation
 */

import { suspend, type Waiter, type WaitOptions } from "@weft/core";
import { WaitQueue } from "./wait-queue.ts";

export class UnfinishedWork {
  #count = 0;
  readonly #joiners: WaitQueue<Waiter<void>> = new WaitQueue();

  /** One more item was put. */
  add(): void {
    this.#count++;
  }

  /** One item was processed. */
  done(): void {
    if (this.#count <= 0) {
      throw new RangeError("Queue.taskDone() was called more times than there were items put");
    }
    if (--this.#count === 0) this.#finish();
  }

  /** `n` items were discarded unprocessed: they count as done. */
  discard(n: number): void {
    const before = this.#count;
    this.#count = Math.max(0, before - n);
    if (before > 0 && this.#count === 0) this.#finish();
  }

  join(options: WaitOptions | undefined): Promise<void> {
    return suspend<void>(options, "Queue.join", (waiter) => {
      if (this.#count === 0) {
        waiter.resolve();
        return undefined;
      }
      const place = this.#joiners.push(waiter);
      return () => this.#joiners.remove(place);
    });
  }

  #finish(): void {
    for (const joiner of this.#joiners.takeAll()) joiner.resolve();
  }
}
