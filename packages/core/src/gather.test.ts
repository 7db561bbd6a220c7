import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import {
  CancelledError,
  cancelScope,
  checkpoint,
  gather,
  map,
  race,
  type Scope,
  TaskGroupError,
} from "./index.ts";
import { valueAfter } from "./task-group.test-support.ts";

// No timer outlives a test: every sleep and deadline is cleaned up when its scope exits.
it.afterEach(({ clock }) => {
  expect(clock.pending).toBe(0);
});

describe("gather", () => {
  it("resolves with the results in input order, not completion order", async ({ clock, scope }) => {
    const values = await gather(scope, [valueAfter(30, "a"), valueAfter(10, 2), async () => true]);
    expect([values, clock.now()]).toEqual([["a", 2, true], 30]);
  });

  it("resolves with an empty array for no functions", async ({ scope }) => {
    expect(await gather(scope, [])).toEqual([]);
  });

  it("rejects with a TaskGroupError holding every failure and cancels the rest", async ({
    clock,
    scope,
  }) => {
    const boom = new Error("boom");
    const error = await gather(scope, [
      valueAfter(100, "slow"),
      async (s: Scope) => {
        await sleep(10, s);
        throw boom;
      },
    ]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors).toEqual([boom]);
    expect(clock.now()).toBe(10);
  });

  it("throws a TypeError naming the bad element, synchronously", ({ scope }) => {
    expect(() => gather(scope, [async () => 1, 5 as never])).toThrow(
      new TypeError("Expected `fns[1]` to be a function, got `5` (number)"),
    );
    expect(() => gather(scope, 5 as never)).toThrow(
      new TypeError("Expected `fns` to be an iterable of functions, got `5` (number)"),
    );
  });
});

describe("gather with returnErrors", () => {
  it("runs everything without cancelling and returns each error itself in its slot", async ({
    clock,
    scope,
  }) => {
    const boom = new Error("boom");
    const values = await gather(
      scope,
      [
        valueAfter(30, "slow"),
        async (s: Scope) => {
          await sleep(10, s);
          throw boom;
        },
        async () => {
          throw "text";
        },
      ],
      { returnErrors: true },
    );
    expect(values).toEqual(["slow", boom, "text"]);
    expect(values[1]).toBe(boom);
    expect(clock.now()).toBe(30);
  });

  it("keeps the TaskGroupError behaviour when returnErrors is false", async ({ scope }) => {
    const boom = new Error("boom");
    const error = await gather(
      scope,
      [
        async () => {
          throw boom;
        },
      ],
      { returnErrors: false },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors).toEqual([boom]);
  });

  it("propagates the parent's cancellation", async ({ clock, scope }) => {
    const error = await cancelScope(scope, async (outer) => {
      const promise = gather(outer, [valueAfter(10, 1), valueAfter(20, 2)], { returnErrors: true });
      outer.cancel("stop");
      return promise.catch((caught: unknown) => caught);
    });
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).reason).toBe("stop");
    expect(clock.now()).toBe(0);
  });

  it("throws a TypeError for bad options, synchronously", ({ scope }) => {
    expect(() => gather(scope, [], 5 as never)).toThrow(
      new TypeError("Expected `options` to be an object, got `5` (number)"),
    );
    expect(() => gather(scope, [], { returnErrors: "yes" } as never)).toThrow(
      new TypeError('Expected `options.returnErrors` to be a boolean, got `"yes"` (string)'),
    );
  });
});

describe("race", () => {
  it("resolves with the first value, after the losers have finished", async ({ clock, scope }) => {
    const log: string[] = [];
    const winner = await race(scope, [
      valueAfter(30, "slow"),
      valueAfter(10, "fast"),
      async (s: Scope) => {
        try {
          await sleep(50, s);
        } finally {
          await cancelScope(s, (cleanup) => sleep(5, cleanup), { shield: true });
          log.push(`loser cleaned up at ${clock.now()}`);
        }
      },
    ]);
    log.push(`race returned ${winner} at ${clock.now()}`);
    expect(log).toEqual(["loser cleaned up at 15", "race returned fast at 15"]);
  });

  it("rejects with the winner's own error, unwrapped", async ({ scope }) => {
    const boom = new Error("first");
    const error = await race(scope, [
      valueAfter(30, "late"),
      async (s: Scope) => {
        await sleep(10, s);
        throw boom;
      },
    ]).catch((caught: unknown) => caught);
    expect(error).toBe(boom);
  });

  it("does not lose a loser's failure during cancellation: both errors are reported", async ({
    scope,
  }) => {
    const boom = new Error("winner");
    const cleanup = new Error("cleanup");
    const error = await race(scope, [
      async (s: Scope) => {
        await sleep(10, s);
        throw boom;
      },
      async (s: Scope) => {
        await sleep(50, s).catch(() => undefined);
        throw cleanup;
      },
    ]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors).toEqual([boom, cleanup]);
  });

  it("propagates the parent's cancellation", async ({ scope }) => {
    const error = await cancelScope(scope, async (outer) => {
      const promise = race(outer, [valueAfter(10, 1), valueAfter(20, 2)]);
      outer.cancel("stop");
      return promise.catch((caught: unknown) => caught);
    });
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).reason).toBe("stop");
  });

  it("throws a RangeError for an empty list, synchronously", ({ scope }) => {
    expect(() => race(scope, [])).toThrow(
      new RangeError("Expected `fns` to hold at least one function, got an empty list"),
    );
  });
});

describe("gather and race", () => {
  it("treat one failure by their own rules: gather wraps it in a TaskGroupError, race rethrows it", async ({
    scope,
  }) => {
    const boom = new Error("only failure");
    const fail = async (s: Scope): Promise<never> => {
      await sleep(10, s);
      throw boom;
    };
    const gathered = await gather(scope, [fail]).catch((caught: unknown) => caught);
    expect(gathered).toBeInstanceOf(TaskGroupError);
    expect((gathered as TaskGroupError).errors).toEqual([boom]);
    expect(await race(scope, [fail]).catch((caught: unknown) => caught)).toBe(boom);
    const settled = await gather(scope, [fail], { returnErrors: true });
    expect(settled).toEqual([boom]);
  });

  it("both wrap every failure in one TaskGroupError once more than one task failed", async ({
    scope,
  }) => {
    const first = new Error("first");
    const second = new Error("second");
    const fns = [
      async (s: Scope) => {
        await sleep(10, s);
        throw first;
      },
      async (s: Scope) => {
        await sleep(20, s).catch(() => undefined);
        throw second;
      },
    ];
    for (const call of [() => gather(scope, fns), () => race(scope, fns)]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TaskGroupError);
      expect((error as TaskGroupError).errors).toEqual([first, second]);
    }
  });
});

describe("map", () => {
  it("runs at most `concurrency` calls at once and keeps input order", async ({ clock, scope }) => {
    let active = 0;
    let peak = 0;
    const values = await map(
      scope,
      [30, 10, 20, 5, 15],
      async (ms, s, index) => {
        active++;
        peak = Math.max(peak, active);
        await sleep(ms, s);
        active--;
        return `${index}:${ms}`;
      },
      { concurrency: 2 },
    );
    // Worker 1: 30; worker 2: 10, 20 (t=30), 5 (t=35)... the two workers pull in order.
    expect([values, peak, clock.now()]).toEqual([["0:30", "1:10", "2:20", "3:5", "4:15"], 2, 45]);
  });

  it("runs everything at once by default", async ({ clock, scope }) => {
    const values = await map(scope, [3, 1, 2], async (ms, s) => {
      await sleep(ms, s);
      return ms * 10;
    });
    expect([values, clock.now()]).toEqual([[30, 10, 20], 3]);
  });

  it("pulls from an async iterable only as workers free up", async ({ scope }) => {
    const pulled: number[] = [];
    async function* numbers(): AsyncGenerator<number> {
      for (let i = 1; i <= 4; i++) {
        pulled.push(i);
        yield i;
      }
    }
    const seenWhenFirstRan: number[][] = [];
    const values = await map(
      scope,
      numbers(),
      async (n, s) => {
        if (n === 1) seenWhenFirstRan.push([...pulled]);
        await sleep(10, s);
        return n * n;
      },
      { concurrency: 2 },
    );
    expect([values, seenWhenFirstRan[0]]).toEqual([
      [1, 4, 9, 16],
      [1, 2],
    ]);
  });

  it("rejects with a TaskGroupError on failure and closes the async iterable", async ({
    scope,
  }) => {
    let closed = false;
    async function* endless(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    const error = await map(
      scope,
      endless(),
      async (n, s) => {
        await checkpoint(s);
        if (n === 3) throw new Error(`bad ${n}`);
        return n;
      },
      { concurrency: 2 },
    ).catch((caught: unknown) => caught);
    expect([(error as TaskGroupError).errors, closed]).toEqual([[new Error("bad 3")], true]);
  });

  it("throws for bad concurrency or a non-iterable, synchronously", ({ scope }) => {
    const fn = async (n: number): Promise<number> => n;
    expect(() => map(scope, [1], fn, { concurrency: 0 })).toThrow(
      new RangeError(
        "Expected `concurrency` to be a positive integer or Infinity, got `0` (number)",
      ),
    );
    expect(() => map(scope, [1], fn, { concurrency: 1.5 })).toThrow(RangeError);
    expect(() => map(scope, 3 as never, fn)).toThrow(
      new TypeError("Expected `items` to be an iterable or async iterable, got `3` (number)"),
    );
    expect(() => map(scope, [1], "f" as never)).toThrow(TypeError);
  });
});
