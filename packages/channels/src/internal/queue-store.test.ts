import { describe, expect, it } from "vitest";
import { FifoStore, HeapStore, LifoStore, naturalOrder } from "./queue-store.ts";

describe("FifoStore", () => {
  it("keeps first-in first-out order across its compactions while a long stream passes", () => {
    const store = new FifoStore<number>();
    const out: number[] = [];
    const peeked: number[] = [];
    let next = 0;
    // Items through a store that holds up to 3,000 of them: its head passes the compaction
    // threshold many times, at many fill levels.
    for (let round = 0; round < 50; round++) {
      const fill = (round * 619) % 3_000;
      while (store.size < fill) store.push(next++);
      while (store.size > fill / 3) {
        peeked.push(store.peek());
        out.push(store.take());
      }
    }
    expect(peeked).toEqual(out);
    while (store.size > 0) out.push(store.take());
    expect(out).toEqual(Array.from({ length: next }, (_, index) => index));
    expect(store.clear()).toBe(0);
  });

  it("counts what clear removes and starts over empty", () => {
    const store = new FifoStore<string>();
    for (const item of ["a", "b", "c"]) store.push(item);
    store.take();
    expect(store.clear()).toBe(2);
    store.push("d");
    expect([store.size, store.take()]).toEqual([1, "d"]);
  });
});

describe("LifoStore", () => {
  it("hands out the newest item first", () => {
    const store = new LifoStore<number>();
    for (const n of [1, 2, 3]) store.push(n);
    expect(store.peek()).toBe(3);
    expect([store.take(), store.take()]).toEqual([3, 2]);
    store.push(4);
    expect([store.take(), store.take(), store.size]).toEqual([4, 1, 0]);
  });
});

describe("HeapStore", () => {
  it("hands out the smallest first and equal items in insertion order", () => {
    const store = new HeapStore<{ rank: number; name: string }>((a, b) => a.rank - b.rank);
    const items = [3, 1, 2, 1, 3, 2, 1].map((rank, index) => ({ rank, name: `${rank}.${index}` }));
    for (const item of items) store.push(item);
    const out: string[] = [];
    while (store.size > 0) out.push(store.take().name);
    expect(out).toEqual(["1.1", "1.3", "1.6", "2.2", "2.5", "3.0", "3.4"]);
  });

  it("keeps insertion order when compare returns NaN", () => {
    const store = new HeapStore<number>(() => Number.NaN);
    for (const n of [5, 3, 9]) store.push(n);
    expect([store.take(), store.take(), store.take()]).toEqual([5, 3, 9]);
  });

  it("orders numbers and strings by < by default", () => {
    expect([naturalOrder(1, 2), naturalOrder("b", "a"), naturalOrder(2, 2)]).toEqual([-1, 1, 0]);
  });
});
