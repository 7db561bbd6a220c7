import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import {
  type CancelledError,
  cancelScope,
  checkpoint,
  formatTaskTree,
  isScope,
  run,
  taskGroup,
  taskTree,
} from "./index.ts";

// No timer outlives a test: every sleep and deadline is cleaned up when its scope exits.
it.afterEach(({ clock }) => {
  expect(clock.pending).toBe(0);
});

describe("Scope", () => {
  describe("deadline", () => {
    it("is Infinity by default and reschedules when set", async ({ clock, scope }) => {
      let initial = 0;
      const value = await cancelScope(scope, async (s) => {
        initial = s.deadline;
        s.deadline = 100;
        await sleep(10, s);
        s.deadline = 30;
        await sleep(100, s);
      });
      expect([initial, value, clock.now()]).toEqual([Number.POSITIVE_INFINITY, undefined, 30]);
    });

    it("cancels at once when set to a time already passed", async ({ scope }) => {
      const result = await cancelScope(scope, async (s) => {
        await sleep(10, s);
        s.deadline = 5;
        return [s.cancelled, s.cancelCalled];
      });
      expect(result).toEqual([true, true]);
    });

    it("can be removed by setting Infinity", async ({ clock, scope }) => {
      const value = await cancelScope(
        scope,
        async (s) => {
          s.deadline = Number.POSITIVE_INFINITY;
          await sleep(50, s);
          return "finished";
        },
        { timeout: 10 },
      );
      expect([value, clock.now()]).toEqual(["finished", 50]);
    });

    it("throws a RangeError for NaN", ({ scope }) => {
      expect(() => {
        scope.deadline = Number.NaN;
      }).toThrow(new RangeError("Expected `deadline` to be a number, got `NaN` (number)"));
    });
  });

  describe("shield", () => {
    it("uncancels a scope cancelled only through its parent when set, and recancels when cleared", async ({
      scope,
    }) => {
      const states = await cancelScope(scope, async (outer) => {
        return cancelScope(outer, async (inner) => {
          outer.cancel();
          const seen: boolean[] = [inner.cancelled];
          inner.shield = true;
          seen.push(inner.cancelled, inner.signal.aborted);
          inner.shield = false;
          seen.push(inner.cancelled, inner.signal.aborted);
          return seen;
        });
      });
      // The outer scope absorbs nothing because no CancelledError was thrown.
      expect(states).toEqual([true, false, false, true, true]);
    });

    it("does not block the scope's own cancellation", async ({ scope }) => {
      const result = await cancelScope(
        scope,
        async (s) => {
          s.cancel();
          return s.cancelled;
        },
        { shield: true },
      );
      expect(result).toBe(true);
    });

    it("throws a TypeError for a non-boolean", ({ scope }) => {
      expect(() => {
        scope.shield = "yes" as never;
      }).toThrow(new TypeError('Expected `shield` to be a boolean, got `"yes"` (string)'));
    });
  });

  it("is structurally { signal, clock } and recognised by isScope", ({ clock, scope }) => {
    expect([
      isScope(scope),
      isScope({ signal: scope.signal, clock }),
      scope.clock === clock,
      scope.signal instanceof AbortSignal,
      Object.prototype.toString.call(scope),
    ]).toEqual([true, false, true, true, "[object Scope]"]);
  });

  it("fires same-instant events one at a time in registration order, draining microtasks between", async ({
    scope,
  }) => {
    const steps: string[] = [];
    await taskGroup(scope, async (group) => {
      for (const name of ["a", "b", "c"]) {
        group.spawn(async (s) => {
          await sleep(10, s);
          steps.push(name);
          await Promise.resolve();
          steps.push(`${name} continued`);
        });
      }
    });
    expect(steps).toEqual(["a", "a continued", "b", "b continued", "c", "c continued"]);
  });

  it("still cancels the children left after the first, a middle and the last have exited", async ({
    scope,
  }) => {
    const steps: string[] = [];
    await taskGroup(scope, async (group) => {
      // Children exit at 1 (first), 2 (last) and 3 (a middle one); the other two wait for the cancel.
      for (const [name, ms] of [
        ["a", 1],
        ["b", 1000],
        ["c", 3],
        ["d", 1000],
        ["e", 2],
      ] as const) {
        group.spawn(
          async (s) => {
            await sleep(ms, s).catch((error: unknown) => {
              steps.push(`${name} ${(error as Error).name}`);
              throw error;
            });
            steps.push(`${name} done`);
          },
          { name },
        );
      }
      await sleep(4, group.scope);
      expect(formatTaskTree(taskTree(scope))).toBe(
        "#1 test (running)\n  #3 b (blocked on sleep)\n  #5 d (blocked on sleep)",
      );
      group.cancel();
    });
    expect(steps).toEqual(["a done", "e done", "c done", "b CancelledError", "d CancelledError"]);
  });

  it("wakes the waits left on one scope, in order, after its first, a middle and its last ended", async ({
    scope,
  }) => {
    const steps: string[] = [];
    await cancelScope(scope, async (inner) => {
      const wait = (ms: number, index: number) =>
        sleep(ms, inner).then(
          () => steps.push(`${index} woke`),
          (error: unknown) => steps.push(`${index} ${(error as Error).name}`),
        );
      // The first (0), a middle (2) and the last (4) waits end before the cancel.
      const waits = [1, 1000, 2, 1000, 3].map(wait);
      await sleep(4, scope);
      // A wait added after the last one left must still be reached by the cancel.
      waits.push(wait(1000, 5));
      inner.cancel();
      await Promise.all(waits);
    });
    expect(steps).toEqual([
      "0 woke",
      "2 woke",
      "4 woke",
      "1 CancelledError",
      "3 CancelledError",
      "5 CancelledError",
    ]);
  });

  it("cancels 100,000 blocked tasks in one pass without any listener per task", async ({
    scope,
  }) => {
    let cancelled = 0;
    await taskGroup(scope, async (group) => {
      for (let i = 0; i < 100_000; i++) {
        group.spawn((s) =>
          sleep(1000, s).catch((error: unknown) => {
            cancelled++;
            throw error;
          }),
        );
      }
      await checkpoint(group.scope);
      group.cancel();
    });
    expect(cancelled).toBe(100_000);
  });
});

describe("checkpoint", () => {
  it("throws the scope's CancelledError even though it would not block", async ({ scope }) => {
    const result = await cancelScope(scope, async (s) => {
      const before = await checkpoint(s).then(() => "passed");
      s.cancel("now");
      const after = await checkpoint(s).catch((error: unknown) => (error as CancelledError).reason);
      return [before, after];
    });
    expect(result).toEqual(["passed", "now"]);
  });

  it("throws a TypeError for something that is not a scope", () => {
    expect(() => checkpoint({ signal: new AbortController().signal } as never)).toThrow(TypeError);
  });
});

describe("checkpoint and due deadlines", () => {
  it("throws once the deadline has passed even if the deadline's timer has not fired yet", async () => {
    // A clock whose time moves but whose timers never get a turn: a busy loop on the real clock.
    let now = 0;
    const frozenTimers = { now: () => now, setTimer: () => ({ cancel() {} }) };
    const rounds = await run(
      async (scope) => {
        let count = 0;
        await cancelScope(
          scope,
          async (s) => {
            for (;;) {
              await checkpoint(s);
              count++;
              now += 10;
            }
          },
          { timeout: 25 },
        );
        return count;
      },
      { clock: frozenTimers },
    );
    expect(rounds).toBe(3);
  });
});
