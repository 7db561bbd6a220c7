import { fakeTime, waitAllTasksBlocked } from "@weft/testing";
import { sleep } from "@weft/timers";
import { describe, expect, it } from "vitest";
import { cancelScope, Limiter, moveOnAt, type Scope, suspend, taskGroup } from "./index.ts";
import { gate } from "./limiter.test-support.ts";

describe("Limiter", () => {
  it("starts higher priorities first and equal priorities in call order", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const log: string[] = [];
    const { body, release } = gate(log);
    await fakeTime(async ({ scope }) => {
      const calls = [
        limiter.run(scope, body("first")),
        limiter.run(scope, body("low-1"), { priority: -1 }),
        limiter.run(scope, body("mid-1")),
        limiter.run(scope, body("high"), { priority: 5 }),
        limiter.run(scope, body("mid-2"), { priority: 0 }),
        limiter.run(scope, body("low-2"), { priority: -1 }),
      ];
      for (const name of ["first", "high", "mid-1", "mid-2", "low-1", "low-2"]) {
        await waitAllTasksBlocked(scope);
        release(name);
      }
      await Promise.all(calls);
    });
    expect(log).toEqual(["first", "high", "mid-1", "mid-2", "low-1", "low-2"]);
  });

  it("keeps call order within a priority across the calls of different scopes", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const log: string[] = [];
    const { body, release } = gate(log);
    const order = ["A1", "B1", "A2", "B2", "urgent-B", "A3", "urgent-A"];
    await fakeTime(async ({ scope }) => {
      const first = limiter.run(scope, body("first"));
      const calls = await taskGroup(scope, async (group) => {
        // Two tasks that lend their scopes and park until the group is cancelled.
        const lend = async (s: Scope, started: (s: Scope) => void): Promise<void> => {
          started(s);
          await suspend(s, "parked", () => {}).catch(() => {});
        };
        const a = await group.start(lend);
        const b = await group.start(lend);
        const queued = [
          limiter.run(a, body("A1")),
          limiter.run(b, body("B1")),
          limiter.run(a, body("A2")),
          limiter.run(b, body("B2")),
          limiter.run(b, body("urgent-B"), { priority: 1 }),
          limiter.run(a, body("A3")),
          limiter.run(a, body("urgent-A"), { priority: 1 }),
        ];
        expect(limiter.size).toBe(7);
        for (const name of ["first", "urgent-B", "urgent-A", "A1", "B1", "A2", "B2", "A3"]) {
          await waitAllTasksBlocked(scope);
          release(name);
        }
        const values = await Promise.all(queued);
        group.cancel();
        return values;
      });
      await first;
      expect(calls).toEqual(order);
    });
    expect(log).toEqual(["first", "urgent-B", "urgent-A", "A1", "B1", "A2", "B2", "A3"]);
  });

  it("starts queued calls at once when concurrency is raised", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const log: string[] = [];
    const { body, release } = gate(log);
    await fakeTime(async ({ scope }) => {
      const calls = ["a", "b", "c", "d"].map((name) => limiter.run(scope, body(name)));
      expect([limiter.size, limiter.active]).toEqual([3, 1]);
      limiter.concurrency = 3;
      expect([limiter.size, limiter.active]).toEqual([1, 3]);
      await waitAllTasksBlocked(scope);
      expect(log).toEqual(["a", "b", "c"]);
      limiter.concurrency = 1;
      for (const name of ["a", "b"]) release(name);
      await waitAllTasksBlocked(scope);
      // Only "c" runs now: lowering never stops running work, it only delays starts.
      expect([limiter.size, limiter.active]).toEqual([1, 1]);
      release("c");
      await waitAllTasksBlocked(scope);
      expect(log).toEqual(["a", "b", "c", "d"]);
      release("d");
      await Promise.all(calls);
    });
  });

  it("counts each call's weight against concurrency, without letting a lighter call overtake", async () => {
    const limiter = new Limiter({ concurrency: 3 });
    const log: string[] = [];
    const { body, release } = gate(log);
    await fakeTime(async ({ scope }) => {
      const calls = [
        limiter.run(scope, body("two"), { weight: 2 }),
        limiter.run(scope, body("heavy"), { weight: 3 }),
        limiter.run(scope, body("light"), { weight: 1 }),
      ];
      await waitAllTasksBlocked(scope);
      expect(log).toEqual(["two"]);
      release("two");
      await waitAllTasksBlocked(scope);
      expect(log).toEqual(["two", "heavy"]);
      release("heavy");
      await waitAllTasksBlocked(scope);
      release("light");
      await Promise.all(calls);
    });
    expect(log).toEqual(["two", "heavy", "light"]);
  });

  it("starts calls in admission order, even when a new call arrives before an admitted one started", async () => {
    const limiter = new Limiter({ concurrency: 3 });
    const log: string[] = [];
    const { body, release } = gate(log);
    await fakeTime(async ({ scope }) => {
      const first = limiter.run(scope, body("A"));
      let cancelHeavy = (): void => {};
      const heavy = cancelScope(scope, (inner) => {
        cancelHeavy = () => inner.cancel();
        return limiter.run(inner, body("X"), { weight: 3 });
      });
      const second = limiter.run(scope, body("C"));
      await waitAllTasksBlocked(scope);
      expect(log).toEqual(["A"]);
      // X leaves the head: C is admitted, to start on the next microtask; D arrives before that.
      cancelHeavy();
      const third = limiter.run(scope, body("D"));
      await heavy;
      expect(log).toEqual(["A", "C", "D"]);
      for (const name of ["A", "C", "D"]) release(name);
      await Promise.all([first, second, third]);
    });
  });

  it("lets a deadline due at the instant a slot frees win: the call leaves without using the slot or the rate", async () => {
    const limiter = new Limiter({ concurrency: 1, rate: { limit: 2, interval: 1000 } });
    const log: string[] = [];
    await fakeTime(async ({ clock, scope }) => {
      // A's wake-up at t=10 is registered before B's deadline, so it fires first.
      const first = limiter.run(scope, async (s) => {
        await sleep(10, s);
        log.push(`A ends at ${clock.now()}`);
      });
      const timed = moveOnAt(scope, 10, (inner) =>
        limiter.run(inner, async () => log.push("B runs")),
      );
      const last = limiter.run(scope, async () => log.push(`C starts at ${clock.now()}`));
      await Promise.all([first, timed, last]);
    });
    expect(log).toEqual(["A ends at 10", "C starts at 10"]);
  });

  it("starts at most rate.limit calls in any window of rate.interval ms", async () => {
    const limiter = new Limiter({
      concurrency: Number.POSITIVE_INFINITY,
      rate: { limit: 2, interval: 100 },
    });
    const starts: number[] = [];
    const pending = await fakeTime(async ({ clock, scope }) => {
      const first = limiter.run(scope, async () => starts.push(clock.now()));
      await sleep(30, scope);
      await Promise.all(
        [1, 2, 3, 4].map(() => limiter.run(scope, async () => starts.push(clock.now()))),
      );
      await first;
      return clock.pending;
    });
    // Sliding window: the third start waits until the first is 100 ms old, and so on.
    expect(starts).toEqual([0, 30, 100, 130, 200]);
    expect(pending).toBe(0);
  });

  it("leaves no timer behind when the calls a rate holds back are cancelled", async () => {
    const limiter = new Limiter({ concurrency: 1, rate: { limit: 1, interval: 1000 } });
    await fakeTime(async ({ clock, scope }) => {
      const outcome = cancelScope(scope, async (inner) => {
        await limiter.run(inner, async () => 1);
        const held = limiter.run(inner, async () => 2);
        expect(clock.pending).toBe(1);
        inner.cancel();
        expect(clock.pending).toBe(0);
        return held;
      });
      await expect(outcome).resolves.toBeUndefined();
    });
    expect(limiter.size).toBe(0);
  });
});
