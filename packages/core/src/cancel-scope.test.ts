import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import {
  CancelledError,
  cancelScope,
  checkpoint,
  failAfter,
  failAt,
  moveOnAfter,
  moveOnAt,
  type Scope,
  TimeoutError,
} from "./index.ts";

// No timer outlives a test: every sleep and deadline is cleaned up when its scope exits.
it.afterEach(({ clock }) => {
  expect(clock.pending).toBe(0);
});

describe("cancelScope", () => {
  it("returns the body's value when nothing cancels it", async ({ scope }) => {
    expect(await cancelScope(scope, async () => "value")).toBe("value");
  });

  it("absorbs its own cancellation, resolves undefined and sets cancelledCaught", async ({
    scope,
  }) => {
    let inner: Scope | undefined;
    const value = await cancelScope(scope, async (s) => {
      inner = s;
      s.cancel();
      await checkpoint(s);
      return "never";
    });
    expect([value, inner?.cancelCalled, inner?.cancelledCaught, scope.cancelled]).toEqual([
      undefined,
      true,
      true,
      false,
    ]);
  });

  it("lets the outermost cancelled scope absorb: an inner cancelled scope passes the error on", async ({
    scope,
  }) => {
    const seen: Scope[] = [];
    const value = await cancelScope(scope, async (outer) => {
      seen.push(outer);
      await cancelScope(outer, async (inner) => {
        seen.push(inner);
        inner.cancel("inner");
        outer.cancel("outer");
        await checkpoint(inner);
      });
      return "not reached";
    });
    expect([value, ...seen.map((s) => [s.cancelCalled, s.cancelledCaught])]).toEqual([
      undefined,
      [true, true],
      [true, false],
    ]);
  });

  it("does not absorb a cancellation that comes from an ancestor", async ({ scope }) => {
    let innerCaught: boolean | undefined;
    const value = await cancelScope(scope, async (outer) => {
      await cancelScope(outer, async (inner) => {
        outer.cancel();
        try {
          await checkpoint(inner);
        } finally {
          innerCaught = inner.cancelledCaught;
        }
      });
      return "not reached";
    });
    expect([value, innerCaught]).toEqual([undefined, false]);
  });

  it("does not absorb errors that are not cancellations", async ({ scope }) => {
    const boom = new Error("boom");
    await expect(
      cancelScope(scope, async (s) => {
        s.cancel();
        throw boom;
      }),
    ).rejects.toBe(boom);
  });

  it("shields its body from ancestors' cancellation but not from its own", async ({
    clock,
    scope,
  }) => {
    const steps: string[] = [];
    await cancelScope(scope, async (outer) => {
      outer.cancel();
      await cancelScope(
        outer,
        async (shielded) => {
          await sleep(10, shielded);
          steps.push(`cleanup done at ${clock.now()}, cancelled=${shielded.cancelled}`);
          shielded.cancel();
          await checkpoint(shielded).catch((error: unknown) => steps.push((error as Error).name));
        },
        { shield: true },
      );
      await checkpoint(outer).catch((error: unknown) =>
        steps.push(`outer ${(error as Error).name}`),
      );
    });
    expect(steps).toEqual([
      "cleanup done at 10, cancelled=false",
      "CancelledError",
      "outer CancelledError",
    ]);
  });

  it("cancels at its deadline with source deadline", async ({ clock, scope }) => {
    let error: unknown;
    const value = await cancelScope(
      scope,
      async (s) => {
        await sleep(100, s).catch((caught: unknown) => {
          error = caught;
          throw caught;
        });
      },
      { deadline: 25 },
    );
    expect([value, clock.now()]).toEqual([undefined, 25]);
    expect(error).toMatchObject({ name: "CancelledError", source: "deadline" });
  });

  it("throws for both deadline and timeout, a NaN time or a non-boolean shield, synchronously", ({
    scope,
  }) => {
    const body = async (): Promise<number> => 1;
    expect(() => cancelScope(scope, body, { deadline: 1, timeout: 1 })).toThrow(
      new TypeError("Expected either `deadline` or `timeout`, got both (`1` and `1`)"),
    );
    expect(() => cancelScope(scope, body, { timeout: Number.NaN })).toThrow(
      new RangeError("Expected `timeout` to be a number, got `NaN` (number)"),
    );
    expect(() => cancelScope(scope, body, { deadline: "soon" as never })).toThrow(
      new TypeError('Expected `deadline` to be a number, got `"soon"` (string)'),
    );
    expect(() => cancelScope(scope, body, { shield: 1 as never })).toThrow(
      new TypeError("Expected `shield` to be a boolean, got `1` (number)"),
    );
    expect(() => cancelScope(scope, "x" as never)).toThrow(TypeError);
  });
});

describe("moveOnAfter", () => {
  it("resolves undefined when its timeout hits, after the body finished", async ({
    clock,
    scope,
  }) => {
    const value = await moveOnAfter(scope, 50, async (s) => {
      await sleep(100, s);
      return "slow";
    });
    expect([value, clock.now()]).toEqual([undefined, 50]);
  });

  it("returns the body's value when it finishes in time", async ({ scope }) => {
    expect(
      await moveOnAfter(scope, 50, async (s) => {
        await sleep(10, s);
        return "fast";
      }),
    ).toBe("fast");
  });

  it("starts the body even with a zero or negative timeout, and its first checkpoint throws", async ({
    scope,
  }) => {
    const steps: string[] = [];
    for (const ms of [0, -5]) {
      const value = await moveOnAfter(scope, ms, async (s) => {
        steps.push(`started ${ms}`);
        await checkpoint(s);
        steps.push("not reached");
        return 1;
      });
      steps.push(`value ${value}`);
    }
    expect(steps).toEqual(["started 0", "value undefined", "started -5", "value undefined"]);
  });

  it("never returns before the cleanup inside it finished", async ({ clock, scope }) => {
    const steps: string[] = [];
    await moveOnAfter(scope, 10, async (s) => {
      try {
        await sleep(100, s);
      } finally {
        await cancelScope(s, (cleanup) => sleep(30, cleanup), { shield: true });
        steps.push(`cleanup finished at ${clock.now()}`);
      }
    });
    steps.push(`returned at ${clock.now()}`);
    expect(steps).toEqual(["cleanup finished at 40", "returned at 40"]);
  });

  it("returns the value of a body that swallows the cancellation", async ({ scope }) => {
    const value = await moveOnAfter(scope, 10, async (s) => {
      await sleep(100, s).catch(() => undefined);
      return "swallowed";
    });
    expect(value).toBe("swallowed");
  });

  it("lets the deadline win over a wake-up due at the same instant", async ({ scope }) => {
    // The sleep's timer is registered before the deadline's, so it would fire first.
    const result = await cancelScope(scope, async (s) => {
      const sleeping = sleep(10, s);
      s.deadline = s.clock.now() + 10;
      await sleeping;
      return "woke";
    });
    expect(result).toBeUndefined();
  });

  it("throws a RangeError for a NaN timeout, synchronously", ({ scope }) => {
    expect(() => moveOnAfter(scope, Number.NaN, async () => 1)).toThrow(
      new RangeError("Expected `ms` to be a number, got `NaN` (number)"),
    );
    expect(() => failAfter(scope, "5" as never, async () => 1)).toThrow(
      new TypeError('Expected `ms` to be a number, got `"5"` (string)'),
    );
  });
});

describe("moveOnAt", () => {
  it("resolves undefined at the absolute deadline", async ({ clock, scope }) => {
    await sleep(5, scope);
    const value = await moveOnAt(scope, 20, (s) => sleep(100, s).then(() => "late"));
    expect([value, clock.now()]).toEqual([undefined, 20]);
  });
});

describe("failAfter", () => {
  it("throws TimeoutError when its timeout hits, with the CancelledError as cause", async ({
    scope,
  }) => {
    const error = await failAfter(scope, 10, (s) => sleep(100, s)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(TimeoutError.is(error)).toBe(true);
    expect(error).toMatchObject({ name: "TimeoutError", message: "failAfter(10) timed out" });
    expect((error as TimeoutError).cause).toMatchObject({
      name: "CancelledError",
      source: "deadline",
    });
  });

  it("throws TimeoutError also after an explicit cancel() of its scope", async ({ scope }) => {
    const error = await failAfter(scope, 1000, async (s) => {
      s.cancel();
      await checkpoint(s);
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it("returns the value of a body that swallows the cancellation, without error", async ({
    scope,
  }) => {
    const value = await failAfter(scope, 10, async (s) => {
      await sleep(100, s).catch(() => undefined);
      return "recovered";
    });
    expect(value).toBe("recovered");
  });

  it("lets an outer cancellation propagate instead of a TimeoutError", async ({ scope }) => {
    let thrown: unknown;
    await cancelScope(scope, async (outer) => {
      await failAfter(outer, 1000, async (s) => {
        outer.cancel();
        await checkpoint(s);
      }).catch((error: unknown) => {
        thrown = error;
        throw error;
      });
    });
    expect(thrown).toBeInstanceOf(CancelledError);
  });
});

describe("failAt", () => {
  it("throws TimeoutError at the absolute deadline and returns values in time", async ({
    clock,
    scope,
  }) => {
    const fast = await failAt(scope, 10, async () => "fast");
    const error = await failAt(scope, 10, (s) => sleep(50, s)).catch((caught: unknown) => caught);
    expect([fast, (error as Error).name, clock.now()]).toEqual(["fast", "TimeoutError", 10]);
  });
});
