/** An item of a {@link PriorityQueue}; the queue maintains the links. */
export interface PriorityItem<T> {
  /** Higher first. */
  readonly priority: number;
  /** Neighbours in the FIFO of the item's priority; managed by the queue. */
  before: T | undefined;
  after: T | undefined;
  /** Whether the item is queued; managed by the queue. */
  queued: boolean;
}

/** The items of one priority, in arrival order. */
class Bucket<T extends PriorityItem<T>> {
  readonly priority: number;
  first: T | undefined = undefined;
  last: T | undefined = undefined;
  /** Position in the heap of buckets. */
  index = 0;

  constructor(priority: number) {
    this.priority = priority;
  }
}

/**
 * A queue served highest priority first and, within a priority, in arrival order.
 *
 * Items of one priority form a linked FIFO; the non-empty priorities form a binary max-heap. So with
 * a single priority (the usual case) every operation is O(1), and with `k` distinct priorities
 * queued it is O(log k). Any queued item can be removed in that time (a cancelled call leaves at once).
 */
export class PriorityQueue<T extends PriorityItem<T>> {
  readonly #heap: Bucket<T>[] = [];
  readonly #buckets = new Map<number, Bucket<T>>();
  size = 0;

  /** The first item, without removing it. */
  peek(): T | undefined {
    return this.#heap[0]?.first;
  }

  push(item: T): void {
    let bucket = this.#buckets.get(item.priority);
    if (bucket === undefined) {
      bucket = new Bucket<T>(item.priority);
      this.#buckets.set(item.priority, bucket);
      bucket.index = this.#heap.length;
      this.#heap.push(bucket);
      this.#up(bucket.index);
    }
    item.queued = true;
    item.after = undefined;
    item.before = bucket.last;
    if (bucket.last === undefined) bucket.first = item;
    else bucket.last.after = item;
    bucket.last = item;
    this.size++;
  }

  /** Removes `item`; returns `false` if it was not queued. */
  remove(item: T): boolean {
    if (!item.queued) return false;
    item.queued = false;
    // Usually the head leaves: its bucket is the top one.
    const top = this.#heap[0] as Bucket<T>;
    const bucket = top.first === item ? top : (this.#buckets.get(item.priority) as Bucket<T>);
    if (item.before === undefined) bucket.first = item.after;
    else item.before.after = item.after;
    if (item.after === undefined) bucket.last = item.before;
    else item.after.before = item.before;
    item.before = undefined;
    item.after = undefined;
    this.size--;
    if (bucket.first === undefined) this.#drop(bucket);
    return true;
  }

  #drop(bucket: Bucket<T>): void {
    this.#buckets.delete(bucket.priority);
    const heap = this.#heap;
    const last = heap.pop() as Bucket<T>;
    if (last === bucket) return;
    const index = bucket.index;
    heap[index] = last;
    last.index = index;
    if (index > 0 && last.priority > (heap[(index - 1) >> 1] as Bucket<T>).priority)
      this.#up(index);
    else this.#down(index);
  }

  #up(index: number): void {
    const heap = this.#heap;
    const bucket = heap[index] as Bucket<T>;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as Bucket<T>;
      if (bucket.priority <= parent.priority) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = bucket;
    bucket.index = index;
  }

  #down(index: number): void {
    const heap = this.#heap;
    const length = heap.length;
    const bucket = heap[index] as Bucket<T>;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (
        right < length &&
        (heap[right] as Bucket<T>).priority > (heap[child] as Bucket<T>).priority
      ) {
        child = right;
      }
      const candidate = heap[child] as Bucket<T>;
      if (candidate.priority <= bucket.priority) break;
      heap[index] = candidate;
      candidate.index = index;
      index = child;
    }
    heap[index] = bucket;
    bucket.index = index;
  }
}
