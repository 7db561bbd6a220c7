import { waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { CancelledError, cancelScope, Lock, moveOnAt, taskGroup } from "./index.ts";

describe("Lock", () => {
  it("is locked while held and free after release", async ({ scope }) => {
    const lock = new Lock();
    expect(lock.locked).toBe(false);
    await lock.acquire(scope);
    expect(lock.locked).toBe(true);
    lock.release();
    expect(lock.locked).toBe(false);
  });

  it("grants the lock to waiters in arrival order", async ({ scope }) => {
    const lock = new Lock();
    const order: number[] = [];
    await lock.acquire(scope);
    await taskGroup(scope, async (group) => {
      for (const id of [1, 2, 3]) {
        group.spawn(async (s) => {
          await lock.acquire(s);
          order.push(id);
          await waitAllTasksBlocked(s);
          lock.release();
        });
      }
      await waitAllTasksBlocked(scope);
      expect(lock.waiting).toBe(3);
      lock.release();
    });
    expect(order).toEqual([1, 2, 3]);
    expect(lock.locked).toBe(false);
  });

  it("hands the lock straight to the longest waiter on release: it stays locked", async ({
    scope,
  }) => {
    const lock = new Lock();
    await lock.acquire(scope);
    const waiting = lock.acquire(scope);
    lock.release();
    expect(lock.locked).toBe(true);
    expect(lock.tryAcquire()).toBe(false);
    await waiting;
    lock.release();
    expect(lock.locked).toBe(false);
  });

  it("throws synchronously when releasing a lock that is not locked", () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(
      new Error("Cannot release a Lock that is not locked (release() without a matching acquire)"),
    );
  });

  it("rejects at once with a cancelled scope even when the lock is free, taking nothing", async ({
    scope,
  }) => {
    const lock = new Lock();
    const error = await cancelScope(scope, async (inner) => {
      inner.cancel();
      return lock.acquire(inner).catch((caught: unknown) => caught);
    });
    expect(CancelledError.is(error)).toBe(true);
    expect(lock.locked).toBe(false);
  });

  it("never gives the lock to a cancelled waiter: the next waiter gets it", async ({ scope }) => {
    const lock = new Lock();
    const log: string[] = [];
    await lock.acquire(scope);
    await taskGroup(scope, async (group) => {
      const cancelled = group.spawn((s) => lock.acquire(s).then(() => log.push("cancelled one")));
      group.spawn(async (s) => {
        await lock.acquire(s);
        log.push("second");
        lock.release();
      });
      await waitAllTasksBlocked(scope);
      cancelled.cancel();
      await waitAllTasksBlocked(scope);
      expect(lock.waiting).toBe(1);
      lock.release();
    });
    expect(log).toEqual(["second"]);
    expect(lock.locked).toBe(false);
  });

  it("hands the lock to the next waiter when a release races a deadline due at the same instant", async ({
    clock,
    scope,
  }) => {
    const lock = new Lock();
    const log: string[] = [];
    await lock.acquire(scope);
    // Registered before the waiter's deadline: fires first at t=10, but the deadline wins.
    clock.setTimer(10, () => lock.release());
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        const got = await moveOnAt(s, 10, async (inner) => {
          await lock.acquire(inner);
          return "got it";
        });
        log.push(`first: ${String(got)}`);
      });
      group.spawn(async (s) => {
        await sleep(1, s);
        await lock.acquire(s);
        log.push(`second at ${clock.now()}`);
        lock.release();
      });
    });
    // The second waiter resumes before the first one's timeout scope has unwound.
    expect(log).toEqual(["second at 10", "first: undefined"]);
    expect(lock.locked).toBe(false);
  });

  it("releases the lock after withLock's function returns or throws", async ({ scope }) => {
    const lock = new Lock();
    const boom = new Error("boom");
    expect(await lock.withLock(scope, () => (lock.locked ? "held" : "free"))).toBe("held");
    expect(lock.locked).toBe(false);
    await expect(
      lock.withLock(scope, async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(lock.locked).toBe(false);
  });

  it("does not call withLock's function when the acquire is cancelled", async () => {
    const lock = new Lock();
    lock.tryAcquire();
    let called = false;
    const controller = new AbortController();
    const waiting = lock.withLock({ signal: controller.signal }, () => {
      called = true;
    });
    controller.abort("no");
    await expect(waiting).rejects.toBe("no");
    expect(called).toBe(false);
    expect(lock.waiting).toBe(0);
  });

  it("throws a TypeError synchronously when withLock is given no function", () => {
    const signal = new AbortController().signal;
    expect(() => new Lock().withLock({ signal }, 3 as never)).toThrow(
      new TypeError("Expected `fn` to be a function, got `3` (number)"),
    );
  });

  it("refuses tryAcquire while others wait, to stay FIFO", async () => {
    const lock = new Lock();
    expect(lock.tryAcquire()).toBe(true);
    const waiting = lock.acquire();
    lock.release();
    expect(lock.tryAcquire()).toBe(false);
    await waiting;
    lock.release();
    expect(lock.tryAcquire()).toBe(true);
  });

  it("marks the waiting task blocked on Lock.acquire", async ({ scope }) => {
    const lock = new Lock();
    await lock.acquire(scope);
    const labels = await taskGroup(scope, async (group) => {
      const task = group.spawn((s) => lock.acquire(s));
      await waitAllTasksBlocked(scope);
      const seen = [...task.blockedOn];
      lock.release();
      return seen;
    });
    expect(labels).toEqual(["Lock.acquire"]);
  });
});
