import { describe, expect, it } from "vitest";
import { systemClock } from "./index.ts";

describe("systemClock", () => {
  it("reads performance.now()", () => {
    const before = performance.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(performance.now());
  });

  it("never runs a timer before its time and can cancel it", async () => {
    const start = systemClock.now();
    const firedAt = await new Promise<number>((resolve) =>
      systemClock.setTimer(start + 3, () => resolve(systemClock.now())),
    );
    expect(firedAt).toBeGreaterThanOrEqual(start + 3);
    let fired = false;
    systemClock.setTimer(systemClock.now(), () => (fired = true)).cancel();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fired).toBe(false);
  });

  it("ignores Infinity and rejects NaN", () => {
    expect(() => systemClock.setTimer(Number.POSITIVE_INFINITY, () => {}).cancel()).not.toThrow();
    expect(() => systemClock.setTimer(Number.NaN, () => {})).toThrow(
      new RangeError("Expected `time` to be a number, got `NaN` (number)"),
    );
  });
});

describe("systemClock timers", () => {
  it("can be unref'd so that a pending timer does not hold the process", () => {
    const created: NodeJS.Timeout[] = [];
    const real = globalThis.setTimeout;
    globalThis.setTimeout = ((...args: Parameters<typeof real>) => {
      const timeout = real(...args);
      created.push(timeout);
      return timeout;
    }) as typeof real;
    try {
      const handle = systemClock.setTimer(systemClock.now() + 60_000, () => {});
      expect(created[0]?.hasRef()).toBe(true);
      handle.unref?.();
      expect(created[0]?.hasRef()).toBe(false);
      handle.cancel();
    } finally {
      globalThis.setTimeout = real;
    }
  });
});
