import { LifoStore } from "./internal/queue-store.ts";
import { Queue, useStore } from "./queue.ts";

/**
 * A queue that hands out its newest item first (Python's `asyncio.LifoQueue`), with
 * {@link Queue}'s interface.
 *
 * Cancellation and errors are as for {@link Queue}.
 *
 * @example
 * ```ts
 * import { LifoQueue } from "@weft/channels";
 *
 * const stack = new LifoQueue<number>();
 * for (const n of [1, 2, 3]) stack.putNowait(n);
 * console.log(stack.getNowait(), stack.getNowait()); // 3 2
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  /**
   * @param maxsize - The most items it holds; 0 or less (the default) is unbounded.
   * @throws `TypeError`/`RangeError` for a bad `maxsize`.
   */
  constructor(maxsize = 0) {
    super(maxsize);
    useStore(this, new LifoStore<T>());
  }

  override get [Symbol.toStringTag](): string {
    return "LifoQueue";
  }
}
