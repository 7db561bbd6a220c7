import { fc, it } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { interval, sleep, VirtualClock } from "./index.ts";

type Missed = "skip" | "burst";

/** The reference model: which tick each next() yields, and when, for a consumer doing `work`. */
function model(start: number, period: number, missed: Missed, work: number[]): [number, number][] {
  let now = start;
  let last = 0;
  const seen: [number, number][] = [];
  for (let index = 0; index <= work.length; index++) {
    const latestDue = Math.floor((now - start) / period);
    const tick = missed === "burst" ? last + 1 : Math.max(last + 1, latestDue);
    const time = start + tick * period;
    now = Math.max(now, time);
    seen.push([time, now]);
    last = tick;
    now += work[index] ?? 0;
  }
  return seen;
}

describe("interval", () => {
  it.prop(
    [
      fc.integer({ min: -50, max: 50 }),
      fc.integer({ min: 1, max: 20 }),
      fc.constantFrom<Missed>("skip", "burst"),
      fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 12, size: "max" }),
    ],
    { numRuns: 300 },
  )(
    "yields the ticks of the reference model for skip and burst, and leaves no timer after break",
    async (start, period, missed, work) => {
      const clock = new VirtualClock({ start });
      const seen: [number, number][] = [];
      const consumer = (async () => {
        for await (const time of interval(period, { clock, missed })) {
          seen.push([time, clock.now()]);
          if (seen.length > work.length) break;
          await sleep(work[seen.length - 1] ?? 0, { clock });
        }
      })();
      await clock.runAll();
      await consumer;
      expect(seen).toEqual(model(start, period, missed, work));
      expect(clock.pending).toBe(0);
    },
  );

  it.prop([
    fc.integer({ min: 1, max: 20 }),
    fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 12, size: "max" }),
  ])(
    "yields every grid tick exactly once with burst, and a subsequence of them ending at the latest with skip",
    async (period, work) => {
      const run = async (missed: Missed): Promise<number[]> => {
        const clock = new VirtualClock();
        const seen: number[] = [];
        const consumer = (async () => {
          for await (const time of interval(period, { clock, missed })) {
            seen.push(time);
            if (seen.length > work.length) break;
            await sleep(work[seen.length - 1] ?? 0, { clock });
          }
        })();
        await clock.runAll();
        await consumer;
        return seen;
      };
      const burst = await run("burst");
      const skip = await run("skip");
      expect(burst).toEqual(burst.map((_, index) => (index + 1) * period));
      for (const [index, time] of skip.entries()) {
        expect(time % period).toBe(0);
        if (index > 0) expect(time).toBeGreaterThan(skip[index - 1] as number);
      }
      expect(skip.at(-1) ?? 0).toBeGreaterThanOrEqual(burst.at(-1) ?? 0);
    },
  );
});
