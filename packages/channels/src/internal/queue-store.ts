/**
 * The storage orders of the asyncio queues: first in first out, last in first out, and smallest
 * first (ties first in first out). `peek` and `take` are called only when `size > 0`.
 * @internal
 * @packageDocumentation
 */

export interface QueueStore<T> {
  readonly size: number;
  push(item: T): void;
  /** The item `take` would return. */
  peek(): T;
  take(): T;
  /** Removes every item; returns how many there were. */
  clear(): number;
}

/** First in, first out: an array with a moving head, compacted as it drains. */
export class FifoStore<T> implements QueueStore<T> {
  #items: T[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  peek(): T {
    return this.#items[this.#head] as T;
  }

  take(): T {
    const items = this.#items;
    const item = items[this.#head] as T;
    items[this.#head++] = undefined as T;
    // Compacted only once the taken slots are many and at least half: amortised O(1), and a
    // buffer that empties on every item (a channel passing items one by one) seldom allocates.
    if (this.#head >= 1024 && this.#head * 2 >= items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  clear(): number {
    const size = this.size;
    this.#items = [];
    this.#head = 0;
    return size;
  }
}

/** Last in, first out. */
export class LifoStore<T> implements QueueStore<T> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  peek(): T {
    return this.#items[this.#items.length - 1] as T;
  }

  take(): T {
    return this.#items.pop() as T;
  }

  clear(): number {
    const size = this.#items.length;
    this.#items.length = 0;
    return size;
  }
}

interface Slot<T> {
  readonly item: T;
  readonly order: number;
}

/** The default order of a priority queue: `<` on the items (numbers, strings). */
export function naturalOrder(a: unknown, b: unknown): number {
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** Smallest first by `compare`, ties in insertion order: a binary heap. */
export class HeapStore<T> implements QueueStore<T> {
  readonly #heap: Slot<T>[] = [];
  readonly #compare: (a: T, b: T) => number;
  #order = 0;

  constructor(compare: (a: T, b: T) => number) {
    this.#compare = compare;
  }

  get size(): number {
    return this.#heap.length;
  }

  #before(a: Slot<T>, b: Slot<T>): boolean {
    const order = this.#compare(a.item, b.item);
    // Ties (and a NaN from a sloppy compare) keep insertion order.
    return order < 0 || (!(order > 0) && a.order < b.order);
  }

  push(item: T): void {
    const heap = this.#heap;
    const slot = { item, order: this.#order++ };
    let index = heap.length;
    heap.push(slot);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent] as Slot<T>;
      if (!this.#before(slot, above)) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = slot;
  }

  peek(): T {
    return (this.#heap[0] as Slot<T>).item;
  }

  take(): T {
    const heap = this.#heap;
    const top = heap[0] as Slot<T>;
    const last = heap.pop() as Slot<T>;
    if (heap.length > 0) {
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child =
          right < heap.length && this.#before(heap[right] as Slot<T>, heap[left] as Slot<T>)
            ? right
            : left;
        if (!this.#before(heap[child] as Slot<T>, last)) break;
        heap[index] = heap[child] as Slot<T>;
        index = child;
      }
      heap[index] = last;
    }
    return top.item;
  }

  clear(): number {
    const size = this.#heap.length;
    this.#heap.length = 0;
    return size;
  }
}
