import { CancelledError, cancelScope, run, taskGroup } from "@weft/core";
import { describe, expect, it } from "vitest";
import { interval, sleep, VirtualClock } from "./index.ts";

/** Collects `count` ticks, doing `work(i)` ms of virtual work after the i-th; returns [tick, now] pairs. */
async function consume(
  clock: VirtualClock,
  ticks: AsyncIterableIterator<number>,
  count: number,
  work: (index: number) => number,
): Promise<[number, number][]> {
  const seen: [number, number][] = [];
  const consumer = (async () => {
    for await (const time of ticks) {
      seen.push([time, clock.now()]);
      if (seen.length === count) break;
      await sleep(work(seen.length - 1), { clock });
    }
  })();
  await clock.runAll();
  await consumer;
  return seen;
}

describe("interval", () => {
  it("yields each tick's scheduled time, the first one period after the call", async () => {
    const clock = new VirtualClock({ start: 1000 });
    const seen = await consume(clock, interval(250, { clock }), 4, () => 0);
    expect(seen).toEqual([
      [1250, 1250],
      [1500, 1500],
      [1750, 1750],
      [2000, 2000],
    ]);
    expect(clock.pending).toBe(0);
  });

  it("keeps to its grid when the consumer's work takes part of a period", async () => {
    const clock = new VirtualClock();
    const seen = await consume(clock, interval(10, { clock }), 3, () => 7);
    expect(seen).toEqual([
      [10, 10],
      [20, 20],
      [30, 30],
    ]);
  });

  it("skips missed ticks by default, yielding the latest due one at once", async () => {
    const clock = new VirtualClock();
    const seen = await consume(clock, interval(10, { clock }), 4, (index) =>
      index === 0 ? 35 : 0,
    );
    expect(seen).toEqual([
      [10, 10],
      [40, 45],
      [50, 50],
      [60, 60],
    ]);
  });

  it("bursts every missed tick at once with missed: burst", async () => {
    const clock = new VirtualClock();
    const ticks = interval(10, { clock, missed: "burst" });
    const seen = await consume(clock, ticks, 6, (index) => (index === 0 ? 35 : 0));
    expect(seen).toEqual([
      [10, 10],
      [20, 45],
      [30, 45],
      [40, 45],
      [50, 50],
      [60, 60],
    ]);
  });

  it("clears the timer of a pending next() at once on return(), which then yields done", async () => {
    const clock = new VirtualClock();
    const ticks = interval(10, { clock });
    const pending = ticks.next();
    await clock.advance(0);
    expect(clock.pending).toBe(1);
    const returned = ticks.return?.();
    expect(clock.pending).toBe(0);
    expect(await returned).toEqual({ done: true, value: undefined });
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await ticks.next()).toEqual({ done: true, value: undefined });
  });

  it("leaves no timer after a break out of for await", async () => {
    const clock = new VirtualClock();
    const seen = await consume(clock, interval(5, { clock }), 2, () => 1);
    expect(seen.map(([time]) => time)).toEqual([5, 10]);
    expect(clock.pending).toBe(0);
  });

  it("yields consecutive ticks, in order, to concurrent next() calls", async () => {
    const clock = new VirtualClock();
    const ticks = interval(10, { clock });
    const results = Promise.all([ticks.next(), ticks.next(), ticks.next()]);
    await clock.advance(30);
    expect((await results).map((result) => result.value)).toEqual([10, 20, 30]);
  });

  it("is a Weft wait given a scope: blocked on `interval`, rejected with the CancelledError", async () => {
    const clock = new VirtualClock();
    const outcome = await run(
      async (scope) => {
        let labels: string[] = [];
        let error: unknown;
        await taskGroup(scope, async (group) => {
          const task = group.spawn(async (s) => {
            try {
              for await (const _ of interval(10, s));
            } catch (caught) {
              error = caught;
              throw caught;
            }
          });
          await clock.advance(5);
          labels = [...task.blockedOn];
          task.cancel("stop");
        });
        return [labels, CancelledError.is(error) && error.reason, clock.pending];
      },
      { clock },
    );
    expect(outcome).toEqual([["interval"], "stop", 0]);
  });

  it("consumes no tick with a cancelled next()", async () => {
    const clock = new VirtualClock();
    const seen = await run(
      (root) =>
        cancelScope(root, async (outer) => {
          const result = await cancelScope(outer, async (inner) => {
            const ticks = interval(10, inner);
            const first = ticks.next();
            await clock.advance(5);
            outer.cancel();
            const error = await first.catch((caught: unknown) => caught);
            inner.shield = true; // no longer cancelled: the ancestor's cancellation is blocked
            const second = ticks.next();
            await clock.advance(5);
            return [CancelledError.is(error), (await second).value, clock.now()];
          });
          return result;
        }),
      { clock },
    );
    expect(seen).toEqual([true, 10, 10]);
  });

  it("rejects with the signal's reason and leaves no listener", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const ticks = interval(10, { clock, signal: controller.signal });
    const pending = ticks.next();
    await clock.advance(3);
    controller.abort("halt");
    await expect(pending).rejects.toBe("halt");
    await expect(ticks.next()).rejects.toBe("halt");
    expect(clock.pending).toBe(0);
  });

  it("throws RangeError synchronously for a period that is not positive and finite", () => {
    for (const ms of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      // @ts-expect-error: the options are required; a JavaScript caller may still leave them out
      expect(() => interval(ms)).toThrow(RangeError);
    }
    // @ts-expect-error: the options are required; a JavaScript caller may still leave them out
    expect(() => interval(0)).toThrow(
      new RangeError(
        "Expected `ms` to be a positive finite number of milliseconds, got `0` (number)",
      ),
    );
  });

  it("throws TypeError synchronously for an unknown `missed`", () => {
    expect(() => interval(1, { missed: "delay" as never })).toThrow(
      new TypeError('Expected `missed` to be "skip" or "burst", got `"delay"` (string)'),
    );
  });
});
