import { fakeTime, waitAllTasksBlocked } from "@weft/testing";
import { sleep } from "@weft/timers";
import { describe, expect, it } from "vitest";
import {
  CancelledError,
  cancelScope,
  Limiter,
  moveOnAt,
  type Scope,
  suspend,
  taskGroup,
} from "./index.ts";

/** A call body that runs until `release(name)` is called, logging its start. */
function gate(log: string[]) {
  const open = new Map<string, () => void>();
  return {
    body: (name: string) => (scope: Scope) =>
      suspend<string>(scope, "gate", (waiter) => {
        log.push(name);
        open.set(name, () => waiter.resolve(name));
      }),
    release(name: string): void {
      open.get(name)?.();
    },
  };
}

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

  it("removes a queued call at once when its scope is cancelled: it rejects and fn never runs", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const log: string[] = [];
    const { body, release } = gate(log);
    await fakeTime(async ({ scope }) => {
      const first = limiter.run(scope, body("first"));
      const outcome = cancelScope(scope, async (inner) => {
        const queued = limiter.run(inner, body("queued"));
        expect(limiter.size).toBe(1);
        inner.cancel("enough");
        expect(limiter.size).toBe(0);
        return queued.catch((error: unknown) => error);
      });
      const error = await outcome;
      expect(CancelledError.is(error)).toBe(true);
      expect((error as CancelledError).reason).toBe("enough");
      release("first");
      await first;
    });
    expect(log).toEqual(["first"]);
  });

  it("withdraws every queued call of a cancelled scope, at every priority, and keeps the others", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const log: string[] = [];
    const { body, release } = gate(log);
    await fakeTime(async ({ scope }) => {
      const first = limiter.run(scope, body("first"));
      const kept = limiter.run(scope, body("kept"));
      const outcomes = cancelScope(scope, async (inner) => {
        const queued = [
          limiter.run(inner, body("low"), { priority: -1 }),
          limiter.run(inner, body("high"), { priority: 1 }),
          limiter.run(inner, body("mid")),
        ];
        expect(limiter.size).toBe(4);
        inner.cancel("enough");
        expect(limiter.size).toBe(1);
        return Promise.all(queued.map((call) => call.catch((error: CancelledError) => error)));
      });
      const errors = (await outcomes) as CancelledError[];
      expect(errors.map((error) => [CancelledError.is(error), error.reason])).toEqual([
        [true, "enough"],
        [true, "enough"],
        [true, "enough"],
      ]);
      release("first");
      await waitAllTasksBlocked(scope);
      release("kept");
      expect(await Promise.all([first, kept])).toEqual(["first", "kept"]);
    });
    expect(log).toEqual(["first", "kept"]);
  });

  it("cancels a running call through its scope when the caller's scope is cancelled", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const log: string[] = [];
    await fakeTime(({ clock, scope }) =>
      cancelScope(scope, async (inner) => {
        clock.setTimer(5, () => inner.cancel());
        await limiter.run(inner, async (s) => {
          try {
            await sleep(100, s);
          } catch (error) {
            log.push(`${(error as Error).name} at ${clock.now()}`);
            throw error;
          }
        });
      }),
    );
    expect(log).toEqual(["CancelledError at 5"]);
    expect(limiter.active).toBe(0);
  });

  it("gives fn a child scope: cancelling it does not cancel the caller", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    await fakeTime(async ({ scope }) => {
      const error = await limiter
        .run(scope, async (s) => {
          expect(s).not.toBe(scope);
          s.cancel("inner");
          await suspend(s, "never", () => {});
        })
        .catch((caught: unknown) => caught);
      expect((error as CancelledError).reason).toBe("inner");
      expect(scope.cancelled).toBe(false);
    });
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

  it("rejects onIdle with a cancelled scope, even when idle", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const error = await fakeTime(({ scope }) =>
      cancelScope(scope, async (inner) => {
        inner.cancel();
        return limiter.onIdle(inner).catch((caught: unknown) => caught);
      }),
    );
    expect(CancelledError.is(error)).toBe(true);
  });

  it("rejects run at once with a cancelled scope, without calling fn", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    let called = false;
    const error = await fakeTime(({ scope }) =>
      cancelScope(scope, async (inner) => {
        inner.cancel();
        return limiter
          .run(inner, async () => {
            called = true;
          })
          .catch((caught: unknown) => caught);
      }),
    );
    expect(CancelledError.is(error)).toBe(true);
    expect(called).toBe(false);
    expect(limiter.active).toBe(0);
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
