import { waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { describe, expect } from "vitest";
import { CancelledError, cancelScope, Semaphore, taskGroup } from "./index.ts";

describe("Semaphore", () => {
  it("rejects a negative, fractional or non-number initial value, naming it", () => {
    expect(() => new Semaphore(-1)).toThrow(
      new RangeError("Expected `value` to be a non-negative integer, got `-1` (number)"),
    );
    expect(() => new Semaphore(1.5)).toThrow(
      new RangeError("Expected `value` to be a non-negative integer, got `1.5` (number)"),
    );
    expect(() => new Semaphore("2" as never)).toThrow(
      new TypeError('Expected `value` to be a non-negative integer, got `"2"` (string)'),
    );
  });

  it("throws synchronously for a weight larger than its capacity", () => {
    const semaphore = new Semaphore(3);
    expect(() => semaphore.acquire(undefined, 4)).toThrow(
      new RangeError(
        "Expected `weight` to be at most the semaphore's capacity (3), got `4` (number)",
      ),
    );
    expect(() =>
      semaphore.withPermit({ signal: new AbortController().signal }, () => 1, 4),
    ).toThrow(RangeError);
    expect(() => semaphore.tryAcquire(4)).toThrow(RangeError);
    expect(semaphore.value).toBe(3);
  });

  it("throws synchronously for a negative or fractional weight", () => {
    const semaphore = new Semaphore(3);
    expect(() => semaphore.acquire(undefined, -1)).toThrow(
      new RangeError("Expected `weight` to be a non-negative integer, got `-1` (number)"),
    );
    expect(() => semaphore.acquire(undefined, 0.5)).toThrow(RangeError);
    expect(() => semaphore.release(-2)).toThrow(
      new RangeError("Expected `weight` to be a non-negative integer, got `-2` (number)"),
    );
    expect(() => semaphore.release(1.5)).toThrow(RangeError);
    expect(semaphore.value).toBe(3);
  });

  it("counts permits down on acquire and up on release", async ({ scope }) => {
    const semaphore = new Semaphore(5);
    await semaphore.acquire(scope);
    await semaphore.acquire(scope, 3);
    expect(semaphore.value).toBe(1);
    semaphore.release(3);
    semaphore.release();
    expect(semaphore.value).toBe(5);
  });

  it("lets release raise the value above the initial value, like asyncio's Semaphore", async () => {
    const semaphore = new Semaphore(0);
    semaphore.release();
    semaphore.release(2);
    expect(semaphore.value).toBe(3);
    await semaphore.acquire(undefined, 3);
    expect(semaphore.value).toBe(0);
  });

  it("leaves value unchanged when a release hands its permit straight to a waiter", async () => {
    const semaphore = new Semaphore(0);
    const waiting = semaphore.acquire();
    expect(semaphore.waiting).toBe(1);
    semaphore.release();
    expect(semaphore.value).toBe(0);
    expect(semaphore.waiting).toBe(0);
    await waiting;
  });

  it("serves waiters in arrival order and never lets a lighter one overtake a heavier head", async ({
    scope,
  }) => {
    const semaphore = new Semaphore(3);
    const order: string[] = [];
    await semaphore.acquire(scope, 3);
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        await semaphore.acquire(s, 2);
        order.push("heavy");
      });
      group.spawn(async (s) => {
        await semaphore.acquire(s, 1);
        order.push("light");
      });
      await waitAllTasksBlocked(scope);
      semaphore.release(1);
      await waitAllTasksBlocked(scope);
      // One permit is free, enough for "light", but "heavy" is first in line.
      expect(order).toEqual([]);
      expect(semaphore.value).toBe(1);
      semaphore.release(2);
    });
    expect(order).toEqual(["heavy", "light"]);
    expect(semaphore.value).toBe(0);
  });

  it("lets the waiters behind a cancelled heavy head through at once", async ({ scope }) => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    await semaphore.acquire(scope, 1);
    await taskGroup(scope, async (group) => {
      const heavy = group.spawn((s) => semaphore.acquire(s, 2).then(() => order.push("heavy")));
      group.spawn(async (s) => {
        await semaphore.acquire(s, 1);
        order.push("light");
      });
      await waitAllTasksBlocked(scope);
      expect(order).toEqual([]);
      heavy.cancel();
      expect(semaphore.value).toBe(0);
      expect(semaphore.waiting).toBe(0);
    });
    expect(order).toEqual(["light"]);
  });

  it("never gives a permit to a cancelled waiter, and loses none", async ({ scope }) => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire(scope);
    const cancelled = cancelScope(scope, async (inner) => {
      const waiting = semaphore.acquire(inner);
      inner.cancel();
      return waiting.catch((error: unknown) => (CancelledError.is(error) ? "cancelled" : "other"));
    });
    const next = semaphore.acquire(scope).then(() => "next");
    semaphore.release();
    const results = await Promise.all([cancelled, next]);
    expect(results).toEqual(["cancelled", "next"]);
    expect(semaphore.value).toBe(0);
  });

  it("rejects at once with a cancelled scope even when permits are free", async ({ scope }) => {
    const semaphore = new Semaphore(2);
    const error = await cancelScope(scope, async (inner) => {
      inner.cancel();
      return semaphore.acquire(inner).catch((caught: unknown) => caught);
    });
    expect(CancelledError.is(error)).toBe(true);
    expect(semaphore.value).toBe(2);
  });

  it("holds the given weight during withPermit and returns it afterwards, also on failure", async ({
    scope,
  }) => {
    const semaphore = new Semaphore(3);
    const boom = new Error("boom");
    expect(await semaphore.withPermit(scope, () => semaphore.value, 2)).toBe(1);
    await expect(semaphore.withPermit(scope, () => Promise.reject(boom))).rejects.toBe(boom);
    expect(semaphore.value).toBe(3);
  });

  it("refuses tryAcquire while others wait, to stay FIFO", async () => {
    const semaphore = new Semaphore(1);
    expect(semaphore.tryAcquire()).toBe(true);
    const waiting = semaphore.acquire();
    semaphore.release();
    expect(semaphore.tryAcquire()).toBe(false);
    await waiting;
    expect(semaphore.value).toBe(0);
  });

  it("marks the waiting task blocked on Semaphore.acquire", async ({ scope }) => {
    const semaphore = new Semaphore(0);
    const labels = await taskGroup(scope, async (group) => {
      const task = group.spawn((s) => semaphore.acquire(s));
      await waitAllTasksBlocked(scope);
      const seen = [...task.blockedOn];
      semaphore.release();
      return seen;
    });
    expect(labels).toEqual(["Semaphore.acquire"]);
  });
});
