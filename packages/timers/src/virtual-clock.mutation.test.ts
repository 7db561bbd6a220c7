import { describe, expect, it } from "vitest";
import { VirtualClock } from "./index.ts";

// Behaviours the mutation run (pnpm mutation timers virtual-clock internal/timer-heap) found
// untested: argument names in messages, advanceTo(now), runAll's Infinity limit and its report.
describe("VirtualClock", () => {
  it("names `ms` and `time` in its finite-number errors", () => {
    const clock = new VirtualClock();
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(
      new RangeError("Expected `ms` to be a finite number, got `Infinity` (number)"),
    );
    expect(() => clock.advanceTo(Number.NaN)).toThrow(
      new RangeError("Expected `time` to be a number, got `NaN` (number)"),
    );
    expect(() => clock.advanceTo(Number.NEGATIVE_INFINITY)).toThrow(
      new RangeError("Expected `time` to be a finite number, got `-Infinity` (number)"),
    );
  });

  it("accepts advanceTo(now) and fires what is due at now", async () => {
    const clock = new VirtualClock({ start: 5 });
    const fired: number[] = [];
    clock.setTimer(5, () => fired.push(clock.now()));
    await clock.advanceTo(5);
    expect(fired).toEqual([5]);
    expect(clock.now()).toBe(5);
  });

  it("runs every timer with an Infinity limit", async () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    for (let i = 1; i <= 3; i++) clock.setTimer(i * 10, () => fired.push(clock.now()));
    await clock.runAll({ limit: Number.POSITIVE_INFINITY });
    expect(fired).toEqual([10, 20, 30]);
  });

  it("says how many timers are still pending past its limit, in the right number", async () => {
    const one = new VirtualClock();
    one.setTimer(1, () => {});
    one.setTimer(2, () => {});
    await expect(one.runAll({ limit: 1 })).rejects.toThrow(
      "VirtualClock.runAll fired 1 timers, its limit, and 1 is still pending; a timer may keep re-arming (raise `limit` or use advance())",
    );
    const two = new VirtualClock();
    for (let i = 1; i <= 3; i++) two.setTimer(i, () => {});
    await expect(two.runAll({ limit: 1 })).rejects.toThrow(
      "VirtualClock.runAll fired 1 timers, its limit, and 2 are still pending",
    );
  });

  it("gives the first callback error as the cause when it stops at its limit", async () => {
    const clock = new VirtualClock();
    const boom = new Error("callback");
    clock.setTimer(1, () => {
      throw boom;
    });
    clock.setTimer(2, () => {});
    const error = await clock.runAll({ limit: 1 }).catch((caught: unknown) => caught);
    expect((error as Error).cause).toBe(boom);
  });

  it("fires timers registered with the same due time in registration order, past a heap rebuild", async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    const handles = Array.from({ length: 40 }, (_, i) =>
      clock.setTimer(100, () => fired.push(`t${i}`)),
    );
    // Cancelling most of them makes the heap compact itself; the survivors keep their order.
    for (let i = 0; i < 40; i++) if (i % 4 !== 0) handles[i]?.cancel();
    for (let i = 0; i < 5; i++) clock.setTimer(100, () => fired.push(`late${i}`));
    await clock.advance(100);
    expect(fired).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `t${i * 4}`),
      ...Array.from({ length: 5 }, (_, i) => `late${i}`),
    ]);
  });
});
