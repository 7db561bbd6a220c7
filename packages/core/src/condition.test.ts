import { waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { describe, expect } from "vitest";
import { CancelledError, Condition, cancelScope, Lock, taskGroup } from "./index.ts";

describe("Condition", () => {
  it("throws synchronously when wait or notify is called without holding the lock", () => {
    const condition = new Condition();
    const message = (method: string): Error =>
      new Error(`Cannot call Condition.${method}() without holding the condition's lock`);
    expect(() => condition.wait()).toThrow(message("wait"));
    expect(() => condition.notify()).toThrow(message("notify"));
    expect(() => condition.notifyAll()).toThrow(message("notifyAll"));
  });

  it("throws a TypeError when given something other than a Lock", () => {
    expect(() => new Condition({} as Lock)).toThrow(
      new TypeError("Expected `lock` to be a Lock, got `{}` (object)"),
    );
  });

  it("uses the lock it is given", async ({ scope }) => {
    const lock = new Lock();
    const condition = new Condition(lock);
    await condition.acquire(scope);
    expect(condition.lock).toBe(lock);
    expect(lock.locked).toBe(true);
    condition.release();
    expect(lock.locked).toBe(false);
  });

  it("releases the lock while waiting and holds it again when wait returns", async ({ scope }) => {
    const condition = new Condition();
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      group.spawn((s) =>
        condition.withLock(s, async () => {
          log.push("waiting");
          await condition.wait(s);
          log.push(`woken, locked=${condition.locked}`);
        }),
      );
      await waitAllTasksBlocked(scope);
      expect(condition.locked).toBe(false);
      await condition.withLock(scope, () => {
        log.push("notify");
        condition.notify();
      });
    });
    expect(log).toEqual(["waiting", "notify", "woken, locked=true"]);
    expect(condition.locked).toBe(false);
  });

  it("wakes up to n waiters, longest waiter first", async ({ scope }) => {
    const condition = new Condition();
    const woken: number[] = [];
    await taskGroup(scope, async (group) => {
      for (const id of [1, 2, 3, 4]) {
        group.spawn((s) =>
          condition.withLock(s, async () => {
            await condition.wait(s);
            woken.push(id);
          }),
        );
      }
      await waitAllTasksBlocked(scope);
      await condition.withLock(scope, () => condition.notify(2));
      await waitAllTasksBlocked(scope);
      expect(woken).toEqual([1, 2]);
      await condition.withLock(scope, () => condition.notifyAll());
    });
    expect(woken).toEqual([1, 2, 3, 4]);
  });

  it("throws for a negative or fractional notify count", async ({ scope }) => {
    const condition = new Condition();
    await condition.acquire(scope);
    expect(() => condition.notify(-1)).toThrow(
      new RangeError("Expected `n` to be a non-negative integer, got `-1` (number)"),
    );
    expect(() => condition.notify(1.5)).toThrow(RangeError);
    condition.release();
  });

  it("never lets a cancelled waiter consume a notification", async ({ scope }) => {
    const condition = new Condition();
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      const first = group.spawn((s) =>
        condition.withLock(s, async () => {
          await condition.wait(s);
          log.push("first");
        }),
      );
      group.spawn((s) =>
        condition.withLock(s, async () => {
          await condition.wait(s);
          log.push("second");
        }),
      );
      await waitAllTasksBlocked(scope);
      first.cancel();
      await waitAllTasksBlocked(scope);
      await condition.withLock(scope, () => condition.notify(1));
    });
    expect(log).toEqual(["second"]);
  });

  it("re-acquires the lock before a cancelled wait rejects", async ({ scope }) => {
    const condition = new Condition();
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      const waiter = group.spawn(async (s) => {
        await condition.acquire(s);
        try {
          await condition.wait(s);
        } catch (error) {
          log.push(`${(error as Error).name}, locked=${condition.locked}`);
          condition.release();
          throw error;
        }
      });
      await waitAllTasksBlocked(scope);
      await condition.acquire(scope);
      waiter.cancel();
      await waitAllTasksBlocked(scope);
      // The waiter is blocked re-acquiring the lock we hold: its CancelledError waits for it.
      expect(log).toEqual([]);
      expect(condition.lock.waiting).toBe(1);
      log.push("releasing");
      condition.release();
    });
    expect(log).toEqual(["releasing", "CancelledError, locked=true"]);
    expect(condition.locked).toBe(false);
  });

  it("rejects at once with a cancelled scope and keeps the lock held", async ({ scope }) => {
    const condition = new Condition();
    const error = await cancelScope(scope, async (inner) => {
      await condition.acquire(scope);
      inner.cancel();
      return condition.wait(inner).catch((caught: unknown) => caught);
    });
    expect(CancelledError.is(error)).toBe(true);
    expect(condition.locked).toBe(true);
  });

  it("re-acquires the lock after a plain signal aborts the wait", async () => {
    const condition = new Condition();
    const controller = new AbortController();
    await condition.acquire();
    const waiting = condition.wait({ signal: controller.signal });
    expect(condition.locked).toBe(false);
    controller.abort("stop");
    await expect(waiting).rejects.toBe("stop");
    expect(condition.locked).toBe(true);
  });

  it("marks the waiting task blocked on Condition.wait", async ({ scope }) => {
    const condition = new Condition();
    const labels = await taskGroup(scope, async (group) => {
      const task = group.spawn((s) => condition.withLock(s, () => condition.wait(s)));
      await waitAllTasksBlocked(scope);
      const seen = [...task.blockedOn];
      await condition.withLock(scope, () => condition.notify());
      return seen;
    });
    expect(labels).toEqual(["Condition.wait"]);
  });
});
