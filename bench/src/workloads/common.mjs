// Small helpers shared by the workloads.

/** One real macrotask turn: by then every pending microtask has run. */
export const turn = () => new Promise((resolve) => setImmediate(resolve));

/** An order-sensitive checksum step: the same values in another order give another sum. */
export const mix = (sum, value) => (sum * 31 + value) % 1_000_000_007;

/** The checksum of 0, 1, …, n - 1 in order. */
export function checksumOfRange(n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum = mix(sum, i);
  return sum;
}

/** The integers 0 … n - 1. */
export const range = (n) => Array.from({ length: n }, (_, i) => i);

/** How many real timers (`setTimeout`/`setInterval`) are alive in this process. */
export const liveTimers = () =>
  process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

/** Waits real macrotask turns until `ready()` holds (at most `limit` turns). */
export async function turnsUntil(ready, limit = 100_000) {
  for (let i = 0; i < limit; i++) {
    if (ready()) return;
    await turn();
  }
  throw new Error(`not ready after ${limit} macrotask turns`);
}

/**
 * A FIFO on an array with a moving head: O(1) amortised to push and shift, compacted when the
 * consumed prefix is at least half of the array.
 */
export class Fifo {
  items = [];
  head = 0;
  get size() {
    return this.items.length - this.head;
  }
  push(item) {
    this.items.push(item);
  }
  shift() {
    const items = this.items;
    const item = items[this.head];
    items[this.head++] = undefined;
    if (this.head >= 1024 && this.head * 2 >= items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
