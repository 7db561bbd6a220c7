import { assertFunction } from "@weft/core/internal";
import { HeapStore, naturalOrder } from "./internal/queue-store.ts";
import { Queue, useStore } from "./queue.ts";

/**
 * A queue that hands out its smallest item first (Python's `asyncio.PriorityQueue`), with
 * {@link Queue}'s interface; items that compare equal leave in the order they were put.
 *
 * Cancellation and errors are as for {@link Queue}.
 *
 * @example
 * ```ts
 * import { PriorityQueue } from "@weft/channels";
 *
 * const jobs = new PriorityQueue<{ priority: number; name: string }>(
 *   0,
 *   (a, b) => a.priority - b.priority,
 * );
 * jobs.putNowait({ priority: 2, name: "report" });
 * jobs.putNowait({ priority: 1, name: "alert" });
 * jobs.putNowait({ priority: 2, name: "backup" });
 * const order = [jobs.getNowait(), jobs.getNowait(), jobs.getNowait()].map((job) => job.name);
 * console.log(order); // [ 'alert', 'report', 'backup' ]
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  /**
   * @param maxsize - The most items it holds; 0 or less (the default) is unbounded.
   * @param compare - Negative when `a` comes first, as for `Array.prototype.sort`. Defaults to
   *   `<` on the items (numbers, strings).
   * @throws `TypeError`/`RangeError` for a bad `maxsize`; `TypeError` when `compare` is not a function.
   */
  constructor(maxsize = 0, compare?: (a: T, b: T) => number) {
    super(maxsize);
    if (compare !== undefined) assertFunction(compare, "compare");
    useStore(this, new HeapStore<T>(compare ?? naturalOrder));
  }

  override get [Symbol.toStringTag](): string {
    return "PriorityQueue";
  }
}
