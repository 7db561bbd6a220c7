import { CancelledError, moveOnAfter, taskGroup } from "@weft/core";
import { waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import {
  LifoQueue,
  PriorityQueue,
  Queue,
  QueueEmptyError,
  QueueFullError,
  QueueShutDownError,
} from "./index.ts";

describe("Queue", () => {
  it("hands items out first in, first out, and reports its state as properties", async ({
    scope,
  }) => {
    const queue = new Queue<number>(3);
    expect([queue.size, queue.empty, queue.full, queue.maxsize]).toEqual([0, true, false, 3]);
    for (const n of [1, 2, 3]) await queue.put(n, scope);
    expect([queue.size, queue.empty, queue.full]).toEqual([3, false, true]);
    expect([await queue.get(scope), queue.getNowait(), await queue.get(scope)]).toEqual([1, 2, 3]);
    expect(String(queue)).toBe("[object Queue]");
  });

  it("makes put wait while full and serves blocked putters in arrival order", async ({
    scope,
    clock,
  }) => {
    const queue = new Queue<string>(1);
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      for (const name of ["a", "b", "c"]) {
        group.spawn(async (s) => {
          await queue.put(name, s);
          log.push(`put ${name} at ${clock.now()}`);
        });
      }
      await waitAllTasksBlocked(scope);
      for (let i = 0; i < 3; i++) {
        await sleep(10, scope);
        log.push(`got ${await queue.get(scope)}`);
      }
    });
    // Each get admits the longest blocked putter at once: its item is queued as the get returns.
    expect(log).toEqual(["put a at 0", "put b at 10", "got a", "put c at 20", "got b", "got c"]);
  });

  it("is unbounded for maxsize 0 or less", () => {
    for (const maxsize of [0, -1]) {
      const queue = new Queue<number>(maxsize);
      for (let i = 0; i < 1000; i++) queue.putNowait(i);
      expect([queue.size, queue.full]).toEqual([1000, false]);
    }
  });

  it("hands an item put while getters wait to the longest waiting getter", async ({ scope }) => {
    const queue = new Queue<number>();
    const got: string[] = [];
    await taskGroup(scope, async (group) => {
      for (const name of ["first", "second"]) {
        group.spawn(async (s) => got.push(`${name} ${await queue.get(s)}`));
      }
      await waitAllTasksBlocked(scope);
      queue.putNowait(1);
      queue.putNowait(2);
      expect(queue.size).toBe(0);
    });
    expect(got).toEqual(["first 1", "second 2"]);
  });

  it("throws QueueFullError and QueueEmptyError from the nowait twins", () => {
    const queue = new Queue<number>(1);
    expect(() => queue.getNowait()).toThrow(QueueEmptyError);
    queue.putNowait(1);
    expect(() => queue.putNowait(2)).toThrow(new QueueFullError("The queue is full"));
    expect(queue.size).toBe(1);
  });

  it("resolves join once every item put was marked done", async ({ scope, clock }) => {
    const queue = new Queue<number>();
    await queue.join(scope); // nothing unfinished: at once
    queue.putNowait(10);
    queue.putNowait(20);
    let joinedAt = -1;
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        await queue.join(s);
        joinedAt = clock.now();
      });
      group.spawn(async (s) => {
        for (let i = 0; i < 2; i++) {
          await sleep(await queue.get(s), s);
          queue.taskDone();
        }
      });
    });
    expect(joinedAt).toBe(30);
  });

  it("throws a RangeError when taskDone is called more often than items were put", () => {
    const queue = new Queue<number>();
    queue.putNowait(1);
    queue.getNowait();
    queue.taskDone();
    expect(() => queue.taskDone()).toThrow(
      new RangeError("Queue.taskDone() was called more times than there were items put"),
    );
  });

  it("consumes nothing when a get is cancelled: the next get receives the item", async ({
    scope,
  }) => {
    const queue = new Queue<string>();
    const timedOut = await moveOnAfter(scope, 5, (s) => queue.get(s));
    expect(timedOut).toBe(undefined);
    queue.putNowait("kept");
    expect(await queue.get(scope)).toBe("kept");
  });

  it("adds nothing when a blocked put is cancelled", async ({ scope }) => {
    const queue = new Queue<string>(1);
    queue.putNowait("first");
    await moveOnAfter(scope, 5, (s) => queue.put("cancelled", s));
    expect(queue.getNowait()).toBe("first");
    expect(queue.size).toBe(0);
    await queue.put("later", scope);
    expect(queue.getNowait()).toBe("later");
  });

  it("is a checkpoint: a cancelled scope rejects even when it would not wait", async ({
    scope,
  }) => {
    const queue = new Queue<number>();
    queue.putNowait(1);
    const errors = await moveOnAfter(scope, 0, async (s) => {
      const results = await Promise.allSettled([queue.get(s), queue.put(2, s), queue.join(s)]);
      return results.map(
        (result) => result.status === "rejected" && CancelledError.is(result.reason),
      );
    });
    expect(errors).toEqual([true, true, true]);
    expect([queue.size, queue.getNowait()]).toEqual([1, 1]);
  });

  describe("shutdown", () => {
    it("refuses puts, wakes blocked putters, and lets gets drain what is queued", async ({
      scope,
    }) => {
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      const blocked = queue.put(2, scope).catch((error: unknown) => error);
      await waitAllTasksBlocked(scope);
      queue.shutdown();
      expect(QueueShutDownError.is(await blocked)).toBe(true);
      expect(() => queue.putNowait(3)).toThrow(QueueShutDownError);
      await expect(queue.put(3, scope)).rejects.toThrow(QueueShutDownError);
      expect(await queue.get(scope)).toBe(1);
      await expect(queue.get(scope)).rejects.toThrow(
        new QueueShutDownError("The queue is shut down"),
      );
      expect(() => queue.getNowait()).toThrow(QueueShutDownError);
    });

    it("wakes blocked getters with QueueShutDownError", async ({ scope }) => {
      const queue = new Queue<number>();
      const errors = await taskGroup(scope, async (group) => {
        const tasks = [0, 1].map(() => group.spawn((s) => queue.get(s).catch((e: unknown) => e)));
        await waitAllTasksBlocked(scope);
        queue.shutdown();
        return Promise.all(tasks.map((task) => task.result));
      });
      expect(errors?.map((error) => QueueShutDownError.is(error))).toEqual([true, true]);
    });

    it("with immediate, discards the queued items, counts them done and wakes join", async ({
      scope,
    }) => {
      const queue = new Queue<number>();
      for (const n of [1, 2, 3]) queue.putNowait(n);
      queue.getNowait(); // taken, not yet done
      const joined = queue.join(scope);
      queue.shutdown(true);
      expect(queue.size).toBe(0);
      await expect(queue.get(scope)).rejects.toThrow(QueueShutDownError);
      queue.taskDone(); // the one taken before the shutdown
      await joined;
      expect(() => queue.taskDone()).toThrow(RangeError);
    });
  });

  it("rejects a bad maxsize or immediate, naming the value", () => {
    expect(() => new Queue(1.5)).toThrow(
      new RangeError(
        "Expected `maxsize` to be an integer (0 or less: unbounded), got `1.5` (number)",
      ),
    );
    expect(() => new Queue("3" as never)).toThrow(
      new TypeError(
        'Expected `maxsize` to be an integer (0 or less: unbounded), got `"3"` (string)',
      ),
    );
    expect(() => new Queue().shutdown("yes" as never)).toThrow(
      new TypeError('Expected `immediate` to be a boolean, got `"yes"` (string)'),
    );
  });
});

describe("PriorityQueue", () => {
  it("hands out the smallest item first, ties in insertion order", async ({ scope }) => {
    const queue = new PriorityQueue<[number, string]>(0, (a, b) => a[0] - b[0]);
    for (const item of [
      [3, "c"],
      [1, "a1"],
      [2, "b"],
      [1, "a2"],
      [1, "a3"],
    ] as [number, string][]) {
      await queue.put(item, scope);
    }
    const out: string[] = [];
    while (!queue.empty) out.push((await queue.get(scope))[1]);
    expect(out).toEqual(["a1", "a2", "a3", "b", "c"]);
    expect(queue).toBeInstanceOf(Queue);
  });

  it("orders numbers and strings with < by default", () => {
    const numbers = new PriorityQueue<number>();
    for (const n of [5, 3, 9, 1, 7, 3]) numbers.putNowait(n);
    expect(Array.from({ length: 6 }, () => numbers.getNowait())).toEqual([1, 3, 3, 5, 7, 9]);
    const words = new PriorityQueue<string>(2);
    words.putNowait("pear");
    words.putNowait("apple");
    expect(() => words.putNowait("fig")).toThrow(QueueFullError);
    expect([words.getNowait(), words.getNowait()]).toEqual(["apple", "pear"]);
  });

  it("rejects a compare that is not a function", () => {
    expect(() => new PriorityQueue(0, 1 as never)).toThrow(
      new TypeError("Expected `compare` to be a function, got `1` (number)"),
    );
  });
});

describe("LifoQueue", () => {
  it("hands out the newest item first", async ({ scope }) => {
    const queue = new LifoQueue<number>(3);
    for (const n of [1, 2, 3]) await queue.put(n, scope);
    expect(queue.full).toBe(true);
    expect([await queue.get(scope), await queue.get(scope), queue.getNowait()]).toEqual([3, 2, 1]);
  });
});
