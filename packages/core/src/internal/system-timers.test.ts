import { afterEach, describe, expect, it, vi } from "vitest";
import { cancelScope, failAfter, run, suspend, systemClock } from "../index.ts";
import { macrotask } from "./macrotask.ts";
import { addSystemTimer } from "./system-timers.ts";

const refedTimeouts = (): number =>
  process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("addSystemTimer", () => {
  it("fires by due time, ties in registration order, draining microtasks between callbacks", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const start = performance.now();
    const log: string[] = [];
    const at = (offset: number, name: string): void => {
      addSystemTimer(start + offset, () => {
        log.push(name);
        queueMicrotask(() => log.push(`${name} microtask`));
      });
    };
    at(20, "c");
    at(10, "a");
    at(30, "d");
    at(10, "b");
    await vi.advanceTimersByTimeAsync(10);
    for (let turn = 0; turn < 3; turn++) await macrotask();
    expect(log).toEqual(["a", "a microtask", "b", "b microtask"]);
    await vi.advanceTimersByTimeAsync(20);
    for (let turn = 0; turn < 3; turn++) await macrotask();
    expect(log).toEqual([
      "a",
      "a microtask",
      "b",
      "b microtask",
      "c",
      "c microtask",
      "d",
      "d microtask",
    ]);
  });

  it("never runs a callback before its time: a platform timer that fires early is re-armed", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const start = performance.now();
    const fired: number[] = [];
    addSystemTimer(start + 10.5, () => fired.push(performance.now() - start));
    await vi.advanceTimersByTimeAsync(10);
    await macrotask();
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await macrotask();
    expect(fired).toEqual([11]);
  });

  it("arms one platform timer for many entries, and clears it when the last is cancelled", () => {
    const set = vi.spyOn(globalThis, "setTimeout");
    const clear = vi.spyOn(globalThis, "clearTimeout");
    const before = refedTimeouts();
    const start = performance.now();
    const timers = Array.from({ length: 100 }, (_, i) =>
      addSystemTimer(start + 60_000 + i, () => {}),
    );
    expect(set).toHaveBeenCalledTimes(1);
    expect(refedTimeouts()).toBe(before + 1);
    for (const timer of timers.slice(0, 99)) timer.cancel();
    expect(clear).toHaveBeenCalledTimes(0);
    timers[99]?.cancel();
    expect(clear).toHaveBeenCalledTimes(1);
    expect(refedTimeouts()).toBe(before);
  });

  it("re-arms for an entry due before the armed one", () => {
    const set = vi.spyOn(globalThis, "setTimeout");
    const start = performance.now();
    const late = addSystemTimer(start + 60_000, () => {});
    const early = addSystemTimer(start + 30_000, () => {});
    expect(set.mock.calls.map((call) => Math.round((call[1] ?? 0) / 1000))).toEqual([60, 30]);
    early.cancel();
    late.cancel();
  });

  it("arms no platform timer for a deferred entry cancelled within the turn", async () => {
    const set = vi.spyOn(globalThis, "setTimeout");
    const before = refedTimeouts();
    const timer = addSystemTimer(performance.now() + 60_000, () => {}, true);
    timer.cancel();
    await macrotask();
    expect(set).toHaveBeenCalledTimes(0);
    expect(refedTimeouts()).toBe(before);
  });

  it("arms a deferred entry still pending on the next turn", async () => {
    const before = refedTimeouts();
    const timer = addSystemTimer(performance.now() + 60_000, () => {}, true);
    expect(refedTimeouts()).toBe(before);
    await macrotask();
    expect(refedTimeouts()).toBe(before + 1);
    timer.cancel();
    expect(refedTimeouts()).toBe(before);
  });

  it("holds the process only while a live entry is ref'd", () => {
    const before = refedTimeouts();
    const start = performance.now();
    const quiet = addSystemTimer(start + 60_000, () => {});
    quiet.unref();
    expect(refedTimeouts()).toBe(before);
    const loud = addSystemTimer(start + 70_000, () => {});
    expect(refedTimeouts()).toBe(before + 1);
    loud.cancel();
    expect(refedTimeouts()).toBe(before);
    quiet.cancel();
    expect(refedTimeouts()).toBe(before);
  });

  it("keeps firing in order after most entries were cancelled and the heap was rebuilt", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const start = performance.now();
    const fired: number[] = [];
    const timers = Array.from({ length: 200 }, (_, i) =>
      addSystemTimer(start + 1 + ((i * 37) % 200), () => fired.push(i)),
    );
    for (const [i, timer] of timers.entries()) if (i % 10 !== 0) timer.cancel();
    // Adding rebuilds the heap, which now holds 20 live entries of 200.
    addSystemTimer(start + 500, () => fired.push(-1));
    await vi.advanceTimersByTimeAsync(500);
    for (let turn = 0; turn < 25; turn++) await macrotask();
    const expected = Array.from({ length: 20 }, (_, k) => k * 10).sort(
      (a, b) => ((a * 37) % 200) - ((b * 37) % 200),
    );
    expect(fired).toEqual([...expected, -1]);
  });
});

describe("deadlines on systemClock", () => {
  it("set no platform timer for a body that ends within the turn, and leave none", async () => {
    const set = vi.spyOn(globalThis, "setTimeout");
    const values = await run(async (scope) => {
      const seen: number[] = [];
      for (let i = 0; i < 3; i++) seen.push(await failAfter(scope, 60_000, async () => i));
      return seen;
    });
    expect(values).toEqual([0, 1, 2]);
    await macrotask();
    expect(set).toHaveBeenCalledTimes(0);
  });

  it("still cancel a body that outlives the turn, at the deadline's time", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const pending = (): number => vi.getTimerCount();
    const start = systemClock.now();
    const outcome = run(async (scope) => {
      let error: unknown;
      await cancelScope(
        scope,
        (inner) =>
          suspend<void>(inner, "forever", () => undefined).catch((reason: unknown) => {
            error = reason;
            throw reason;
          }),
        { timeout: 50 },
      );
      return [(error as Error).name, systemClock.now() - start];
    });
    await macrotask();
    expect(pending()).toBe(1);
    await vi.advanceTimersByTimeAsync(49);
    await vi.advanceTimersByTimeAsync(1);
    await macrotask();
    await expect(outcome).resolves.toEqual(["CancelledError", 50]);
    expect(pending()).toBe(0);
  });
});
