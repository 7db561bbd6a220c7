import { fakeTime, waitAllTasksBlocked } from "@weft/testing";
import { sleep } from "@weft/timers";
import { describe, expect, it } from "vitest";
import { Limiter, type Scope, taskGroup } from "./index.ts";
import { gate } from "./limiter.test-support.ts";

describe("Limiter", () => {
  it("rejects bad options, naming the value", () => {
    expect(() => new Limiter({ concurrency: 0 })).toThrow(
      new RangeError(
        "Expected `concurrency` to be a positive integer or Infinity, got `0` (number)",
      ),
    );
    expect(() => new Limiter({ concurrency: 1.5 })).toThrow(RangeError);
    expect(() => new Limiter(undefined as never)).toThrow(TypeError);
    expect(() => new Limiter({ concurrency: 1, rate: { limit: 0, interval: 10 } })).toThrow(
      new RangeError("Expected `rate.limit` to be a positive integer, got `0` (number)"),
    );
    expect(() => new Limiter({ concurrency: 1, rate: { limit: 1, interval: -1 } })).toThrow(
      RangeError,
    );
    expect(() => new Limiter({ concurrency: 1, rate: { limit: 1, interval: 0 } })).toThrow(
      new RangeError(
        "Expected `rate.interval` to be a positive finite number of milliseconds, got `0` (number)",
      ),
    );
    expect(
      () => new Limiter({ concurrency: 1, rate: { limit: 1, interval: "1s" as never } }),
    ).toThrow(TypeError);
    const limiter = new Limiter({ concurrency: 2 });
    expect(() => {
      limiter.concurrency = -1;
    }).toThrow(RangeError);
    expect(limiter.concurrency).toBe(2);
  });

  it("rejects bad call options synchronously, including a weight above the concurrency", async () => {
    const limiter = new Limiter({ concurrency: 2 });
    await fakeTime(async ({ scope }) => {
      expect(() => limiter.run(scope, async () => 1, { weight: 3 })).toThrow(
        new RangeError(
          "Expected `weight` to be at most the limiter's concurrency (2), got `3` (number)",
        ),
      );
      expect(() => limiter.run(scope, async () => 1, { weight: -1 })).toThrow(RangeError);
      expect(() => limiter.run(scope, async () => 1, { priority: Number.NaN })).toThrow(RangeError);
      expect(() => limiter.run(scope, 1 as never)).toThrow(TypeError);
      expect(() => limiter.run({ signal: scope.signal } as Scope, async () => 1)).toThrow(
        TypeError,
      );
    });
  });

  it("resolves with fn's value and rejects with fn's error", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const boom = new Error("boom");
    await fakeTime(async ({ scope }) => {
      expect(await limiter.run(scope, async () => 42)).toBe(42);
      await expect(limiter.run(scope, async () => Promise.reject(boom))).rejects.toBe(boom);
      await expect(
        limiter.run(scope, () => {
          throw boom;
        }),
      ).rejects.toBe(boom);
    });
    expect(limiter.active).toBe(0);
  });

  it("resolves and rejects queued calls with fn's exact value and error", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const boom = new Error("boom");
    const outcomes = await fakeTime(({ scope }) =>
      Promise.allSettled([
        limiter.run(scope, async () => {
          await sleep(1, scope);
          return "first";
        }),
        limiter.run(scope, async () => 42),
        limiter.run(scope, async () => Promise.reject(boom)),
        limiter.run(scope, () => {
          throw boom;
        }),
        limiter.run(scope, () => "plain"),
      ]),
    );
    expect(outcomes).toEqual([
      { status: "fulfilled", value: "first" },
      { status: "fulfilled", value: 42 },
      { status: "rejected", reason: boom },
      { status: "rejected", reason: boom },
      { status: "fulfilled", value: "plain" },
    ]);
    expect([limiter.size, limiter.active]).toEqual([0, 0]);
  });

  it("never runs more than concurrency calls at once, and starts them in call order", async () => {
    const limiter = new Limiter({ concurrency: 2 });
    const starts: string[] = [];
    let running = 0;
    let peak = 0;
    await fakeTime(({ clock, scope }) =>
      Promise.all(
        [30, 10, 20, 10, 10].map((ms, i) =>
          limiter.run(scope, async (s) => {
            starts.push(`${i}@${clock.now()}`);
            peak = Math.max(peak, ++running);
            await sleep(ms, s);
            running--;
          }),
        ),
      ),
    );
    expect(peak).toBe(2);
    expect(starts).toEqual(["0@0", "1@0", "2@10", "3@30", "4@30"]);
  });

  it("reports queued calls in size and running ones in active", async () => {
    const limiter = new Limiter({ concurrency: 2 });
    const log: string[] = [];
    const { body, release } = gate(log);
    await fakeTime(async ({ scope }) => {
      const calls = ["a", "b", "c"].map((name) => limiter.run(scope, body(name)));
      expect([limiter.size, limiter.active]).toEqual([1, 2]);
      await waitAllTasksBlocked(scope);
      release("a");
      await waitAllTasksBlocked(scope);
      expect([limiter.size, limiter.active]).toEqual([0, 2]);
      release("b");
      release("c");
      expect(await Promise.all(calls)).toEqual(["a", "b", "c"]);
      expect([limiter.size, limiter.active]).toEqual([0, 0]);
    });
  });

  it("resolves onIdle once nothing is queued or running, and at once when idle", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const log: string[] = [];
    const { body, release } = gate(log);
    await fakeTime(async ({ scope }) => {
      await limiter.onIdle(scope);
      const calls = [limiter.run(scope, body("a")), limiter.run(scope, body("b"))];
      let idle = false;
      const waiting = limiter.onIdle(scope).then(() => {
        idle = true;
      });
      await waitAllTasksBlocked(scope);
      release("a");
      await waitAllTasksBlocked(scope);
      expect(idle).toBe(false);
      release("b");
      await waiting;
      expect([limiter.size, limiter.active]).toEqual([0, 0]);
      await Promise.all(calls);
    });
  });

  it("marks a task with a queued call blocked on Limiter.run", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const log: string[] = [];
    const { body, release } = gate(log);
    const labels = await fakeTime(({ scope }) =>
      taskGroup(scope, async (group) => {
        const first = limiter.run(scope, body("first"));
        const task = group.spawn((s) => limiter.run(s, async () => "second"));
        await waitAllTasksBlocked(scope);
        const seen = [...task.blockedOn];
        release("first");
        await first;
        return seen;
      }),
    );
    expect(labels).toEqual(["Limiter.run"]);
  });
});
