import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { CancelledError, cancelScope, type Task, TaskGroupError, taskGroup } from "./index.ts";
import { valueAfter } from "./task-group.test-support.ts";

// No timer outlives a test: every sleep and deadline is cleaned up when its scope exits.
it.afterEach(({ clock }) => {
  expect(clock.pending).toBe(0);
});

describe("TaskGroup.waitAny", () => {
  it("resolves with the first task to finish and leaves the others running", async ({
    clock,
    scope,
  }) => {
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      const slow = group.spawn(valueAfter(30, "slow"));
      const fast = group.spawn(valueAfter(10, "fast"));
      const middle = group.spawn(valueAfter(20, "middle"));
      const first = await group.waitAny([slow, fast, middle]);
      log.push(`${await first.result} at ${clock.now()}`);
      expect(first).toBe(fast);
      expect([slow.done, middle.done]).toEqual([false, false]);
      const second = await group.waitAny([slow, middle]);
      log.push(`${await second.result} at ${clock.now()}`);
    });
    log.push(`group exited at ${clock.now()}`);
    expect(log).toEqual(["fast at 10", "middle at 20", "group exited at 30"]);
  });

  it("resolves at once with the first already finished task, in list order", async ({
    clock,
    scope,
  }) => {
    await taskGroup(scope, async (group) => {
      const a = group.spawn(valueAfter(0, "a"));
      const b = group.spawn(valueAfter(0, "b"));
      const pending = group.spawn(valueAfter(10, "pending"));
      await Promise.all([a.result, b.result]);
      expect(await group.waitAny([pending, b, a])).toBe(b);
      expect(clock.now()).toBe(0);
      pending.cancel();
    });
  });

  it("counts a task cancelled on its own as finished", async ({ clock, scope }) => {
    await taskGroup(scope, async (group) => {
      const long = group.spawn(valueAfter(100, "long"));
      const other = group.spawn(valueAfter(50, "other"));
      const waiting = group.waitAny([long, other]);
      await sleep(5, scope);
      long.cancel("not needed");
      const first = await waiting;
      expect(first).toBe(long);
      await expect(first.result).rejects.toBeInstanceOf(CancelledError);
      expect([clock.now(), other.done]).toEqual([5, false]);
    });
    expect(clock.now()).toBe(50);
  });

  it("keeps the group's failure rules: a failing first task cancels the group, which throws TaskGroupError", async ({
    clock,
    scope,
  }) => {
    const boom = new Error("boom");
    const log: string[] = [];
    const error = await taskGroup(scope, async (group) => {
      const failing = group.spawn(async (s) => {
        await sleep(10, s);
        throw boom;
      });
      const slow = group.spawn(valueAfter(100, "slow"));
      try {
        await group.waitAny([slow, failing]);
        log.push("resolved");
      } catch (caught) {
        log.push(`${(caught as CancelledError).name} ${(caught as CancelledError).source}`);
        throw caught;
      }
    }).catch((caught: unknown) => caught);
    expect(log).toEqual(["CancelledError failure"]);
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors).toEqual([boom]);
    expect(clock.now()).toBe(10);
  });

  it("is a checkpoint of the scope it waits in, and cancelling that scope only stops the wait", async ({
    clock,
    scope,
  }) => {
    await taskGroup(scope, async (group) => {
      const a = group.spawn(valueAfter(40, "a"));
      const outcome = await cancelScope(
        group.scope,
        async (inner) => {
          await group.waitAny([a], inner);
          return "resolved";
        },
        { timeout: 15 },
      );
      expect([outcome, clock.now(), a.done]).toEqual([undefined, 15, false]);
      expect(await a.result).toBe("a");
    });
    expect(clock.now()).toBe(40);
  });

  it("marks the waiting task blocked on TaskGroup.waitAny", async ({ scope }) => {
    await taskGroup(scope, async (group) => {
      const a = group.spawn(valueAfter(10, "a"));
      const waiter: Task<Task<string>> = group.spawn((s) => group.waitAny([a], s));
      await sleep(1, scope);
      expect(waiter.blockedOn).toEqual(["TaskGroup.waitAny"]);
      expect(await waiter.result).toBe(a);
    });
  });

  it("throws synchronously for an empty list, a non-task, or a task of another group", async ({
    scope,
  }) => {
    await taskGroup(scope, async (outer) => {
      const foreign = outer.spawn(valueAfter(1, "foreign"));
      await taskGroup(scope, async (group) => {
        const own = group.spawn(valueAfter(1, "own"));
        expect(() => group.waitAny([])).toThrow(
          new RangeError("Expected `tasks` to hold at least one task, got an empty list"),
        );
        expect(() => group.waitAny(5 as never)).toThrow(
          new TypeError("Expected `tasks` to be an iterable of tasks, got `5` (number)"),
        );
        expect(() => group.waitAny([own, {} as never])).toThrow(
          new TypeError(
            "Expected `tasks[1]` to be a task spawned into this group, got `{}` (object)",
          ),
        );
        expect(() => group.waitAny([foreign])).toThrow(TypeError);
        expect(() => group.waitAny([own], {} as never)).toThrow(
          new TypeError("Expected `scope` to be a Scope, got `{}` (object)"),
        );
        expect(own.done).toBe(false);
      });
    });
  });
});
