import { CancelledError, cancelScope, run, taskGroup } from "@weft/core";
import { describe, expect, it } from "vitest";
import { constant, exponential, retry, VirtualClock } from "./index.ts";

/** An operation that fails `failures` times, recording each call's attempt and time. */
function flaky(clock: VirtualClock, failures: number) {
  const calls: [attempt: number, time: number][] = [];
  const errors: Error[] = [];
  const fn = async (attempt: number): Promise<string> => {
    calls.push([attempt, clock.now()]);
    if (calls.length <= failures) {
      const error = new Error(`failure ${calls.length}`);
      errors.push(error);
      throw error;
    }
    return `ok after ${attempt}`;
  };
  return { fn, calls, errors };
}

describe("retry", () => {
  it("rejects without calling fn when its scope has already exited", async () => {
    let root: Parameters<Parameters<typeof run>[0]>[0] | undefined;
    await run(
      async (scope) => {
        root = scope;
      },
      { name: "root" },
    );
    let calls = 0;
    await expect(retry(async () => ++calls, root === undefined ? {} : root)).rejects.toThrow(
      new Error('retry: scope "root" has already exited; work that outlives its scope would leak'),
    );
    expect(calls).toBe(0);
  });

  it("resolves with the first success, waiting the backoff on the clock between attempts", async () => {
    const clock = new VirtualClock();
    const { fn, calls } = flaky(clock, 3);
    const result = retry(fn, { clock, retries: 5, backoff: exponential({ initial: 10 }) });
    await clock.runAll();
    expect(await result).toBe("ok after 4");
    expect(calls).toEqual([
      [1, 0],
      [2, 10],
      [3, 30],
      [4, 70],
    ]);
    expect(clock.pending).toBe(0);
  });

  it("makes at most retries + 1 calls and rejects with the last error", async () => {
    const clock = new VirtualClock();
    const { fn, calls, errors } = flaky(clock, 10);
    const result = retry(fn, { clock, retries: 2, backoff: constant(5) });
    const settled = result.catch((error: unknown) => error);
    await clock.runAll();
    expect(await settled).toBe(errors[2]);
    expect(calls).toEqual([
      [1, 0],
      [2, 5],
      [3, 10],
    ]);
  });

  it("calls once with retries: 0, and four times by default", async () => {
    const clock = new VirtualClock();
    const once = flaky(clock, 10);
    const first = await retry(once.fn, { clock, retries: 0 }).catch((error: unknown) => error);
    expect(first).toBe(once.errors[0]);
    expect(once.calls.length).toBe(1);
    const byDefault = flaky(clock, 10);
    const last = await retry(byDefault.fn, { clock }).catch((error: unknown) => error);
    expect(last).toBe(byDefault.errors[3]);
    expect(byDefault.calls.map(([attempt]) => attempt)).toEqual([1, 2, 3, 4]);
  });

  it("retries at once without a backoff, needing no clock advance", async () => {
    const clock = new VirtualClock();
    const { fn, calls } = flaky(clock, 2);
    expect(await retry(fn, { clock, retries: 2 })).toBe("ok after 3");
    expect(calls.map(([, time]) => time)).toEqual([0, 0, 0]);
  });

  it("counts a synchronous throw as a failed attempt", async () => {
    let calls = 0;
    const value = await retry(
      (attempt) => {
        calls++;
        if (attempt === 1) throw new Error("sync");
        return Promise.resolve(attempt);
      },
      { retries: 1 },
    );
    expect([value, calls]).toEqual([2, 2]);
  });

  it("never retries a CancelledError", async () => {
    const clock = new VirtualClock();
    const cancellation = new CancelledError();
    let calls = 0;
    const result = retry(
      async () => {
        calls++;
        throw cancellation;
      },
      { clock, retries: 5 },
    );
    await expect(result).rejects.toBe(cancellation);
    expect(calls).toBe(1);
  });

  it("never retries an error thrown once the signal has aborted, whatever it is", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const failure = new Error("after abort");
    let calls = 0;
    const result = retry(
      async () => {
        calls++;
        controller.abort("stop");
        throw failure;
      },
      { clock, signal: controller.signal, retries: 5 },
    );
    await expect(result).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  it("rejects with the scope's CancelledError when cancelled during a backoff, clearing its timer", async () => {
    const clock = new VirtualClock();
    const { fn, calls } = flaky(clock, 10);
    const outcome = await run(
      async (scope) => {
        let error: unknown;
        let labels: string[] = [];
        await taskGroup(scope, async (group) => {
          const task = group.spawn((s) =>
            retry(fn, { scope: s, retries: 5, backoff: constant(100) }).catch((caught: unknown) => {
              error = caught;
              throw caught;
            }),
          );
          await clock.advance(150);
          labels = [...task.blockedOn];
          task.cancel("enough");
        });
        return [labels, CancelledError.is(error) && error.reason, clock.pending];
      },
      { clock },
    );
    expect(outcome).toEqual([["retry"], "enough", 0]);
    expect(calls.map(([, time]) => time)).toEqual([0, 100]);
  });

  it("rejects with the signal's reason when aborted during a backoff and removes its listener", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const { fn, calls } = flaky(clock, 10);
    const result = retry(fn, { clock, signal: controller.signal, backoff: constant(100) });
    const settled = result.catch((error: unknown) => error);
    await clock.advance(50);
    controller.abort("halt");
    expect(await settled).toBe("halt");
    expect(calls.length).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it("rejects at once, without calling fn, when the scope is already cancelled", async () => {
    let calls = 0;
    const error = await run((scope) =>
      cancelScope(scope, async (inner) => {
        inner.cancel("before");
        const caught = await retry(async () => calls++, inner).catch((e: unknown) => e);
        return caught;
      }),
    );
    expect(CancelledError.is(error) && error.reason).toBe("before");
    expect(calls).toBe(0);
  });

  it("rejects at once with the reason of an already aborted signal", async () => {
    let calls = 0;
    await expect(retry(async () => calls++, { signal: AbortSignal.abort("gone") })).rejects.toBe(
      "gone",
    );
    expect(calls).toBe(0);
  });

  it("asks retryIf with the error and attempt number, and stops when it says no", async () => {
    const clock = new VirtualClock();
    const { fn, errors } = flaky(clock, 10);
    const asked: [string, number][] = [];
    const result = retry(fn, {
      clock,
      retries: 10,
      retryIf: (error, attempt) => {
        asked.push([(error as Error).message, attempt]);
        return attempt < 3;
      },
    });
    expect(await result.catch((error: unknown) => error)).toBe(errors[2]);
    expect(asked).toEqual([
      ["failure 1", 1],
      ["failure 2", 2],
      ["failure 3", 3],
    ]);
  });

  it("rejects with what retryIf throws", async () => {
    const thrown = new Error("predicate broke");
    const result = retry(
      async () => {
        throw new Error("x");
      },
      {
        retryIf: () => {
          throw thrown;
        },
      },
    );
    await expect(result).rejects.toBe(thrown);
  });

  it("rejects with a RangeError, caused by the attempt's error, when the backoff returns a bad delay", async () => {
    const failure = new Error("attempt");
    const result = retry(
      async () => {
        throw failure;
      },
      { backoff: () => -5 },
    );
    const error = (await result.catch((caught: unknown) => caught)) as RangeError;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe(
      "Expected `backoff(1)` to return a non-negative number of milliseconds, got `-5` (number)",
    );
    expect(error.cause).toBe(failure);
  });

  it("throws synchronously for bad arguments", () => {
    // @ts-expect-error: the options are required; a JavaScript caller may still leave them out
    expect(() => retry("fn" as never)).toThrow(
      new TypeError('Expected `fn` to be a function, got `"fn"` (string)'),
    );
    expect(() => retry(async () => 1, { retries: -1 })).toThrow(
      new RangeError(
        "Expected `retries` to be a non-negative integer or Infinity, got `-1` (number)",
      ),
    );
    expect(() => retry(async () => 1, { retries: 1.5 })).toThrow(RangeError);
    expect(() => retry(async () => 1, { backoff: 100 as never })).toThrow(TypeError);
    expect(() => retry(async () => 1, { retryIf: true as never })).toThrow(TypeError);
  });
});
