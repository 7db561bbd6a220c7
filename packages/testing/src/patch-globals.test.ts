import * as timers from "node:timers";
import { setImmediate as immediatePromise, setTimeout as sleepPromise } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { fakeTime, TimerLeakError } from "./index.ts";

const originals = {
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  setImmediate: globalThis.setImmediate,
  clearTimeout: globalThis.clearTimeout,
  Date: globalThis.Date,
  timeout: AbortSignal.timeout,
  timersSetTimeout: timers.setTimeout,
};

function expectRestored(): void {
  expect(globalThis.setTimeout).toBe(originals.setTimeout);
  expect(globalThis.setInterval).toBe(originals.setInterval);
  expect(globalThis.setImmediate).toBe(originals.setImmediate);
  expect(globalThis.clearTimeout).toBe(originals.clearTimeout);
  expect(globalThis.Date).toBe(originals.Date);
  expect(AbortSignal.timeout).toBe(originals.timeout);
  expect(timers.setTimeout).toBe(originals.timersSetTimeout);
  expect(Object.hasOwn(performance, "now")).toBe(false);
}

describe("fakeTime({ patchGlobals })", () => {
  it("runs setTimeout, setInterval and setImmediate on the test clock, in virtual-time order", async () => {
    const log = await fakeTime(
      async ({ clock }) => {
        const seen: string[] = [];
        await new Promise<void>((resolve) => {
          setTimeout(
            (a: string, b: string) => seen.push(`timeout ${a}${b} at ${clock.now()}`),
            250,
            "x",
            "y",
          );
          setImmediate(() => seen.push(`immediate at ${clock.now()}`));
          let ticks = 0;
          const interval = setInterval(() => {
            seen.push(`tick at ${clock.now()}`);
            if (++ticks === 3) {
              clearInterval(interval);
              resolve();
            }
          }, 100);
          const cancelled = setTimeout(() => seen.push("never"), 50);
          clearTimeout(cancelled);
        });
        await clock.runAll();
        return seen;
      },
      { patchGlobals: true, autojump: { idle: 0 } },
    );
    expect(log).toEqual([
      "immediate at 0",
      "tick at 100",
      "tick at 200",
      "timeout xy at 250",
      "tick at 300",
    ]);
    expectRestored();
  });

  it("returns Node-style timer objects that unref, refresh and convert to a number id", async () => {
    const result = await fakeTime(
      async ({ clock }) => {
        const fired: number[] = [];
        const timer = setTimeout(() => fired.push(clock.now()), 100);
        expect(timer.unref()).toBe(timer);
        expect(timer.hasRef()).toBe(false);
        await clock.advance(60);
        timer.refresh(); // re-arms 100 ms from now
        await clock.advance(60);
        const id = Number(timer);
        await clock.advance(60);
        clearTimeout(id); // already fired: harmless
        return [fired, typeof id];
      },
      { patchGlobals: true, autojump: false },
    );
    expect(result).toEqual([[160], "number"]);
  });

  it("re-arms a fired timer on refresh(), as Node does, and leaves a cleared one cleared", async () => {
    const result = await fakeTime(
      async ({ clock }) => {
        const fired: number[] = [];
        const timer = setTimeout(() => fired.push(clock.now()), 100);
        await clock.advance(100);
        timer.refresh(); // fired at 100: armed again, due at 200
        await clock.advance(150);
        const cleared = setTimeout(() => fired.push(-1), 10);
        clearTimeout(cleared);
        cleared.refresh();
        await clock.advance(50);
        return fired;
      },
      { patchGlobals: true, autojump: false },
    );
    expect(result).toEqual([100, 200]);
  });

  it("makes process.hrtime and hrtime.bigint follow the test clock", async () => {
    const seen = await fakeTime(
      async ({ clock }) => {
        await clock.advance(1500.25);
        const start = process.hrtime();
        const big = process.hrtime.bigint();
        await clock.advance(2000);
        return [start, big, process.hrtime(start)];
      },
      { patchGlobals: true, autojump: false },
    );
    expect(seen).toEqual([[1, 500_250_000], 1_500_250_000n, [2, 0]]);
    expect(process.hrtime.bigint()).not.toBe(3_500_250_000n);
  });

  it("makes Date and performance.now follow the test clock, Date from `epoch`", async () => {
    const epoch = Date.UTC(2030, 0, 1);
    const seen = await fakeTime(
      async ({ clock }) => {
        await clock.advance(1500);
        return [
          Date.now(),
          new Date().toISOString(),
          performance.now(),
          new Date(0).getTime(),
          typeof Date(),
          new Date() instanceof Date,
        ];
      },
      { patchGlobals: true, epoch, autojump: false },
    );
    expect(seen).toEqual([epoch + 1500, "2030-01-01T00:00:01.500Z", 1500, 0, "string", true]);
    expectRestored();
  });

  it("makes AbortSignal.timeout abort on the test clock", async () => {
    const reason = await fakeTime(
      async ({ clock }) => {
        const signal = AbortSignal.timeout(300);
        await clock.advance(299);
        const early = signal.aborted;
        await clock.advance(1);
        return [early, signal.aborted, (signal.reason as Error).name];
      },
      { patchGlobals: true, autojump: false },
    );
    expect(reason).toEqual([false, true, "TimeoutError"]);
  });

  it("patches node:timers/promises for code that imported it, and restores it", async () => {
    const seen = await fakeTime(
      async ({ clock }) => {
        const value = sleepPromise(1000, "done");
        await clock.advance(1000);
        const controller = new AbortController();
        const aborted = sleepPromise(50, "x", { signal: controller.signal });
        controller.abort("stop");
        const error = await aborted.catch((caught: unknown) => caught);
        const immediate = immediatePromise("now");
        await clock.advance(0);
        return [
          await value,
          clock.now(),
          (error as Error).name,
          (error as Error).cause,
          await immediate,
        ];
      },
      { patchGlobals: true, autojump: false },
    );
    expect(seen).toEqual(["done", 1000, "AbortError", "stop", "now"]);
    expectRestored();
  });

  it("restores every global also when the body throws", async () => {
    const boom = new Error("boom");
    await expect(
      fakeTime(
        async () => {
          expect(globalThis.setTimeout).not.toBe(originals.setTimeout);
          throw boom;
        },
        { patchGlobals: true },
      ),
    ).rejects.toBe(boom);
    expectRestored();
  });

  it("fails the run with a TimerLeakError when patched timers are still pending at the end", async () => {
    const error = await fakeTime(
      async () => {
        setTimeout(() => {}, 1000);
        setInterval(() => {}, 20);
      },
      { patchGlobals: true },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimerLeakError);
    expect((error as TimerLeakError).message).toBe(
      "2 timers were still pending when the test ended: setTimeout due at 1000 ms, setInterval due at 20 ms",
    );
    expectRestored();
  });

  it("leaves the globals alone without patchGlobals", async () => {
    await fakeTime(async () => {
      expect(globalThis.setTimeout).toBe(originals.setTimeout);
      expect(Date).toBe(originals.Date);
    });
  });
});
