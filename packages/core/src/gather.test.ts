import { VirtualClock } from "@weft/timers";
import { describe, expect, it } from "vitest";
import {
  CancelledError,
  cancelScope,
  checkpoint,
  gather,
  map,
  race,
  run,
  type Scope,
  suspend,
  TaskGroupError,
} from "./index.ts";

const sleep = (ms: number, scope: Scope): Promise<void> =>
  suspend<void>(scope, "sleep", (waiter) => {
    const timer = scope.clock.setTimer(scope.clock.now() + ms, () => waiter.resolve());
    return () => timer.cancel();
  });

async function virtual<T>(main: (scope: Scope, clock: VirtualClock) => Promise<T>): Promise<T> {
  const clock = new VirtualClock();
  const promise = run((scope) => main(scope, clock), { clock });
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (;;) {
    await clock.advance(0);
    if (settled) break;
    if (!(await clock.runNext())) throw new Error("deadlock: nothing left to fire");
  }
  expect(clock.pending).toBe(0);
  return promise;
}

const after =
  <T>(ms: number, value: T) =>
  async (scope: Scope): Promise<T> => {
    await sleep(ms, scope);
    return value;
  };

describe("gather", () => {
  it("resolves with the results in input order, not completion order", async () => {
    const result = await virtual(async (scope, clock) => {
      const values = await gather(scope, [after(30, "a"), after(10, 2), async () => true]);
      return [values, clock.now()];
    });
    expect(result).toEqual([["a", 2, true], 30]);
  });

  it("resolves with an empty array for no functions", async () => {
    expect(await virtual((scope) => gather(scope, []))).toEqual([]);
  });

  it("rejects with a TaskGroupError holding every failure and cancels the rest", async () => {
    const boom = new Error("boom");
    const result = await virtual(async (scope, clock) => {
      const error = await gather(scope, [
        after(100, "slow"),
        async (s: Scope) => {
          await sleep(10, s);
          throw boom;
        },
      ]).catch((caught: unknown) => caught);
      return [error, clock.now()];
    });
    expect(result[0]).toBeInstanceOf(TaskGroupError);
    expect((result[0] as TaskGroupError).errors).toEqual([boom]);
    expect(result[1]).toBe(10);
  });

  it("throws a TypeError naming the bad element, synchronously", async () => {
    await virtual(async (scope) => {
      expect(() => gather(scope, [async () => 1, 5 as never])).toThrow(
        new TypeError("Expected `fns[1]` to be a function, got `5` (number)"),
      );
      expect(() => gather(scope, 5 as never)).toThrow(
        new TypeError("Expected `fns` to be an iterable of functions, got `5` (number)"),
      );
    });
  });
});

describe("race", () => {
  it("resolves with the first value, after the losers have finished", async () => {
    const result = await virtual(async (scope, clock) => {
      const log: string[] = [];
      const winner = await race(scope, [
        after(30, "slow"),
        after(10, "fast"),
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
      return log;
    });
    expect(result).toEqual(["loser cleaned up at 15", "race returned fast at 15"]);
  });

  it("rejects with the winner's own error, unwrapped", async () => {
    const boom = new Error("first");
    const error = await virtual((scope) =>
      race(scope, [
        after(30, "late"),
        async (s: Scope) => {
          await sleep(10, s);
          throw boom;
        },
      ]).catch((caught: unknown) => caught),
    );
    expect(error).toBe(boom);
  });

  it("does not lose a loser's failure during cancellation: both errors are reported", async () => {
    const boom = new Error("winner");
    const cleanup = new Error("cleanup");
    const error = await virtual((scope) =>
      race(scope, [
        async (s: Scope) => {
          await sleep(10, s);
          throw boom;
        },
        async (s: Scope) => {
          await sleep(50, s).catch(() => undefined);
          throw cleanup;
        },
      ]).catch((caught: unknown) => caught),
    );
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors).toEqual([boom, cleanup]);
  });

  it("propagates the parent's cancellation", async () => {
    const error = await virtual((scope) =>
      cancelScope(scope, async (outer) => {
        const promise = race(outer, [after(10, 1), after(20, 2)]);
        outer.cancel("stop");
        return promise.catch((caught: unknown) => caught);
      }),
    );
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).reason).toBe("stop");
  });

  it("throws a RangeError for an empty list, synchronously", async () => {
    await virtual(async (scope) => {
      expect(() => race(scope, [])).toThrow(
        new RangeError("Expected `fns` to hold at least one function, got an empty list"),
      );
    });
  });
});

describe("map", () => {
  it("runs at most `concurrency` calls at once and keeps input order", async () => {
    const result = await virtual(async (scope, clock) => {
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
      return [values, peak, clock.now()];
    });
    // Worker 1: 30; worker 2: 10, 20 (t=30), 5 (t=35)... the two workers pull in order.
    expect(result).toEqual([["0:30", "1:10", "2:20", "3:5", "4:15"], 2, 45]);
  });

  it("runs everything at once by default", async () => {
    const result = await virtual(async (scope, clock) => {
      const values = await map(scope, [3, 1, 2], async (ms, s) => {
        await sleep(ms, s);
        return ms * 10;
      });
      return [values, clock.now()];
    });
    expect(result).toEqual([[30, 10, 20], 3]);
  });

  it("pulls from an async iterable only as workers free up", async () => {
    const result = await virtual(async (scope) => {
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
      return [values, seenWhenFirstRan[0]];
    });
    expect(result).toEqual([
      [1, 4, 9, 16],
      [1, 2],
    ]);
  });

  it("rejects with a TaskGroupError on failure and closes the async iterable", async () => {
    const result = await virtual(async (scope) => {
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
      return [(error as TaskGroupError).errors, closed];
    });
    expect(result).toEqual([[new Error("bad 3")], true]);
  });

  it("throws for bad concurrency or a non-iterable, synchronously", async () => {
    await virtual(async (scope) => {
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
});
