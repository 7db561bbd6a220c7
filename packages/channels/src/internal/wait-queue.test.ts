import { describe, expect, it } from "vitest";
import { WaitQueue } from "./wait-queue.ts";

describe("WaitQueue", () => {
  it("serves callers in arrival order and lets any of them leave from its place", () => {
    const line = new WaitQueue<string>();
    const places = ["a", "b", "c", "d"].map((name) => line.push(name));
    line.remove(places[1] as (typeof places)[number]);
    line.remove(places[3] as (typeof places)[number]);
    expect(line.size).toBe(2);
    expect(line.peek()).toBe("a");
    expect([line.shift(), line.shift(), line.shift()]).toEqual(["a", "c", undefined]);
    expect(places.map((place) => place.waiting)).toEqual([false, false, false, false]);
  });

  it("ignores the removal of a place that has left already", () => {
    const line = new WaitQueue<number>();
    const first = line.push(1);
    line.push(2);
    expect(line.shift()).toBe(1);
    line.remove(first);
    expect(line.size).toBe(1);
    expect(line.takeAll()).toEqual([2]);
  });

  it("empties the line with takeAll, in order, leaving every place out of it", () => {
    const line = new WaitQueue<number>();
    const places = [1, 2, 3].map((n) => line.push(n));
    expect(line.takeAll()).toEqual([1, 2, 3]);
    expect(line.size).toBe(0);
    expect(line.peek()).toBeUndefined();
    line.remove(places[0] as (typeof places)[number]);
    line.push(4);
    expect(line.takeAll()).toEqual([4]);
    expect(places.every((place) => !place.waiting)).toBe(true);
  });

  it("keeps its head and size while 200,000 callers join and leave behind 1,000 who stay", () => {
    const line = new WaitQueue<number>();
    for (let n = 0; n < 1_000; n++) line.push(n);
    for (let n = 0; n < 200_000; n++) {
      const place = line.push(n);
      line.remove(place);
    }
    expect(line.size).toBe(1_000);
    expect(line.peek()).toBe(0);
  });
});
