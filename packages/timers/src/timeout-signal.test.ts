import { CancelledError, type Clock, cancelScope, run } from "@weft/core";
import { describe, expect, it } from "vitest";
import { timeoutSignal, VirtualClock } from "./index.ts";
import { spiedSignal } from "./spied-signal.test-support.ts";

describe("timeoutSignal", () => {
  it("aborts exactly ms later with a DOMException named TimeoutError, as AbortSignal.timeout does", async () => {
    const clock = new VirtualClock();
    const signal = timeoutSignal(100, { clock });
    let abortedAt: number | undefined;
    signal.addEventListener("abort", () => {
      abortedAt = clock.now();
    });
    await clock.advance(99);
    expect(signal.aborted).toBe(false);
    await clock.advance(1);
    expect(abortedAt).toBe(100);
    const reason = signal.reason as DOMException;
    expect(reason).toBeInstanceOf(DOMException);
    expect([reason.name, reason.message, reason.code]).toEqual([
      "TimeoutError",
      "The operation was aborted due to timeout",
      23,
    ]);
    expect(clock.pending).toBe(0);
  });

  it("follows the options' signal when it aborts first, clearing the timer and the listener", async () => {
    const clock = new VirtualClock();
    const { controller, signal: parent, listeners } = spiedSignal();
    const signal = timeoutSignal(100, { clock, signal: parent });
    expect([clock.pending, listeners()]).toEqual([1, 1]);
    await clock.advance(30);
    controller.abort("parent gave up");
    expect([signal.aborted, signal.reason]).toEqual([true, "parent gave up"]);
    expect([clock.pending, listeners()]).toEqual([0, 0]);
  });

  it("removes its listener from the options' signal when the timeout fires first", async () => {
    const clock = new VirtualClock();
    const { controller, signal: parent, listeners } = spiedSignal();
    const signal = timeoutSignal(10, { clock, signal: parent });
    await clock.advance(10);
    expect((signal.reason as DOMException).name).toBe("TimeoutError");
    expect(listeners()).toBe(0);
    controller.abort("late");
    expect((signal.reason as DOMException).name).toBe("TimeoutError");
  });

  it("returns an aborted signal at once, with no timer or listener, for an aborted options' signal", () => {
    const clock = new VirtualClock();
    const { controller, signal: parent, listeners } = spiedSignal();
    controller.abort("already");
    const signal = timeoutSignal(100, { clock, signal: parent });
    expect([signal.aborted, signal.reason]).toEqual([true, "already"]);
    expect([clock.pending, listeners()]).toEqual([0, 0]);
  });

  it("runs on the scope's clock and aborts with the scope's CancelledError when it is cancelled", async () => {
    const clock = new VirtualClock();
    const outcome = await run(
      (scope) =>
        cancelScope(scope, async (inner) => {
          const signal = timeoutSignal(1000, inner);
          const before = clock.pending;
          inner.cancel("done");
          return [
            before,
            clock.pending,
            CancelledError.is(signal.reason),
            signal.reason === inner.signal.reason,
          ];
        }),
      { clock },
    );
    expect(outcome).toEqual([1, 0, true, true]);
  });

  it("sets no timer for Infinity and then only follows the options' signal", () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const signal = timeoutSignal(Number.POSITIVE_INFINITY, { clock, signal: controller.signal });
    expect(clock.pending).toBe(0);
    controller.abort("x");
    expect(signal.reason).toBe("x");
  });

  it("fires at the clock's next turn for 0, not synchronously", async () => {
    const clock = new VirtualClock();
    const signal = timeoutSignal(0, { clock });
    expect(signal.aborted).toBe(false);
    await clock.advance(0);
    expect(signal.aborted).toBe(true);
  });

  it("unrefs the timer when the clock's handles can be unref'd", () => {
    const calls: string[] = [];
    const clock: Clock = {
      now: () => 0,
      setTimer: () => ({ cancel: () => calls.push("cancel"), unref: () => calls.push("unref") }),
    };
    timeoutSignal(5, { clock });
    expect(calls).toEqual(["unref"]);
  });

  it("throws RangeError synchronously for a negative or NaN duration", () => {
    expect(() => timeoutSignal(-5)).toThrow(
      new RangeError(
        "Expected `ms` to be a non-negative number of milliseconds or Infinity, got `-5` (number)",
      ),
    );
    expect(() => timeoutSignal(Number.NaN)).toThrow(RangeError);
  });
});
