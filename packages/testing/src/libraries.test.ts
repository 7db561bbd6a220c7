// Real npm libraries that run on the platform's global timers, driven on the test clock.
import debounce from "lodash.debounce";
import PQueue from "p-queue";
import pRetry from "p-retry";
import { describe, expect, it } from "vitest";
import { fakeTime } from "./index.ts";

describe("fakeTime({ patchGlobals }) with real libraries", () => {
  it("drives lodash.debounce to its exact trailing call", async () => {
    const calls = await fakeTime(
      async ({ clock }) => {
        const seen: string[] = [];
        const save = debounce((value: string) => seen.push(`${value} at ${clock.now()}`), 100);
        save("a");
        await clock.advance(50);
        save("b");
        await clock.advance(99);
        seen.push(`nothing yet at ${clock.now()}`);
        await clock.advance(1);
        save("c");
        save.cancel();
        await clock.advance(500);
        return seen;
      },
      { patchGlobals: true, autojump: false },
    );
    expect(calls).toEqual(["nothing yet at 149", "b at 150"]);
  });

  it("drives p-retry's backoff: attempts at exactly 0, 100, 300 and 700 ms", async () => {
    const attempts = await fakeTime(
      async ({ clock }) => {
        const times: number[] = [];
        const result = await pRetry(
          async (attempt) => {
            times.push(clock.now());
            if (attempt < 4) throw new Error(`attempt ${attempt} failed`);
            return "ok";
          },
          { retries: 5, minTimeout: 100, factor: 2, randomize: false },
        );
        return [result, times];
      },
      { patchGlobals: true, autojump: { idle: 0 } },
    );
    expect(attempts).toEqual(["ok", [0, 100, 300, 700]]);
  });

  it("drives p-queue's interval cap: two starts a second", async () => {
    const starts = await fakeTime(
      async ({ clock }) => {
        const times: string[] = [];
        const queue = new PQueue({ interval: 1000, intervalCap: 2 });
        for (const name of ["a", "b", "c", "d", "e"]) {
          void queue.add(async () => {
            times.push(`${name}@${clock.now()}`);
          });
        }
        await queue.onIdle();
        // Let p-queue retire its interval timer, as it does once it is idle.
        await clock.advance(1000);
        return times;
      },
      // p-queue compares Date.now() with a window that starts at 0: give the wall clock a real date.
      { patchGlobals: true, autojump: { idle: 0 }, epoch: Date.UTC(2026, 0, 1) },
    );
    expect(starts).toEqual(["a@0", "b@0", "c@1000", "d@1000", "e@2000"]);
  });
});
