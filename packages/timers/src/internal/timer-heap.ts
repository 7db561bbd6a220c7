import type { TimerHandle } from "@weft/core";

/** A timer in a {@link TimerHeap}; its `cancel()` is O(1) (amortised) and idempotent. */
export class HeapTimer implements TimerHandle {
  /** Whether the timer has neither fired nor been cancelled. */
  live = true;
  readonly time: number;
  readonly callback: () => void;
  readonly heap: TimerHeap;

  constructor(heap: TimerHeap, time: number, callback: () => void) {
    this.heap = heap;
    this.time = time;
    this.callback = callback;
  }

  cancel(): void {
    if (!this.live) return;
    this.live = false;
    this.heap.forget();
  }
}

/**
 * A binary min-heap of timers ordered by (due time, registration order).
 *
 * The keys live in parallel arrays, apart from the timer objects, so that sifting compares numbers
 * in contiguous memory; O(log n) to add and to take the first. Cancelling only marks the timer:
 * dead entries are dropped when they reach the top, and the heap is rebuilt (O(n)) whenever they
 * outnumber the live ones, so memory stays within twice the live timers and every operation stays
 * O(log n) amortised.
 */
export class TimerHeap {
  #times: number[] = [];
  #seqs: number[] = [];
  #timers: HeapTimer[] = [];
  #seq = 0;
  #live = 0;
  readonly #order: (() => number) | undefined;

  /** @param order - The tie-break key of timers due at the same instant; registration order by default. */
  constructor(order?: () => number) {
    this.#order = order;
  }

  /** Live timers. */
  get size(): number {
    return this.#live;
  }

  /** The first live timer, or `undefined` when none. */
  peek(): HeapTimer | undefined {
    const timers = this.#timers;
    while (timers.length > 0 && !(timers[0] as HeapTimer).live) this.#pop();
    return timers[0];
  }

  add(time: number, callback: () => void): HeapTimer {
    const timer = new HeapTimer(this, time, callback);
    const times = this.#times;
    const seqs = this.#seqs;
    const timers = this.#timers;
    const seq = this.#order === undefined ? this.#seq++ : this.#order();
    let index = times.length;
    times.push(time);
    seqs.push(seq);
    timers.push(timer);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent] as number;
      if (parentTime < time || (parentTime === time && (seqs[parent] as number) < seq)) break;
      times[index] = parentTime;
      seqs[index] = seqs[parent] as number;
      timers[index] = timers[parent] as HeapTimer;
      index = parent;
    }
    times[index] = time;
    seqs[index] = seq;
    timers[index] = timer;
    this.#live++;
    return timer;
  }

  /** Removes and returns the first live timer if it is due at or before `time`. */
  shiftDue(time: number): HeapTimer | undefined {
    const first = this.peek();
    if (first === undefined || first.time > time) return undefined;
    this.#pop();
    first.live = false;
    this.#live--;
    return first;
  }

  /** Called by a timer that was just cancelled. */
  forget(): void {
    this.#live--;
    const length = this.#timers.length;
    if (length > 64 && length > 2 * this.#live) this.#rebuild();
  }

  /** Removes the top entry. */
  #pop(): void {
    const times = this.#times;
    const seqs = this.#seqs;
    const timers = this.#timers;
    const time = times.pop() as number;
    const seq = seqs.pop() as number;
    const timer = timers.pop() as HeapTimer;
    if (times.length > 0) this.#sink(0, time, seq, timer);
  }

  /** Places (time, seq, timer) at `index` or below, restoring the heap order under it. */
  #sink(index: number, time: number, seq: number, timer: HeapTimer): void {
    const times = this.#times;
    const seqs = this.#seqs;
    const timers = this.#timers;
    const length = times.length;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      let childTime = times[child] as number;
      const right = child + 1;
      if (right < length) {
        const rightTime = times[right] as number;
        if (
          rightTime < childTime ||
          (rightTime === childTime && (seqs[right] as number) < (seqs[child] as number))
        ) {
          child = right;
          childTime = rightTime;
        }
      }
      if (time < childTime || (time === childTime && seq < (seqs[child] as number))) break;
      times[index] = childTime;
      seqs[index] = seqs[child] as number;
      timers[index] = timers[child] as HeapTimer;
      index = child;
    }
    times[index] = time;
    seqs[index] = seq;
    timers[index] = timer;
  }

  /** Drops the dead entries and re-heapifies the rest, bottom-up. */
  #rebuild(): void {
    const times: number[] = [];
    const seqs: number[] = [];
    const timers: HeapTimer[] = [];
    this.#timers.forEach((timer, index) => {
      if (!timer.live) return;
      times.push(this.#times[index] as number);
      seqs.push(this.#seqs[index] as number);
      timers.push(timer);
    });
    this.#times = times;
    this.#seqs = seqs;
    this.#timers = timers;
    for (let index = (times.length >> 1) - 1; index >= 0; index--) {
      this.#sink(index, times[index] as number, seqs[index] as number, timers[index] as HeapTimer);
    }
  }
}
