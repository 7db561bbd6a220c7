import {
  CancelledError,
  cancelScope,
  moveOnAfter,
  run,
  type Scope,
  systemClock,
  taskGroup,
} from "@weft/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sleep, sleepUntil, VirtualClock } from "./index.ts";
import { spiedSignal } from "./spied-signal.test-support.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("sleep", () => {
  it("resolves exactly when the clock reaches now + ms", async () => {
    const clock = new VirtualClock({ start: 10 });
    const woke: number[] = [];
    const slept = sleep(25, { clock }).then(() => woke.push(clock.now()));
    await clock.advance(24);
    expect(woke).toEqual([]);
    await clock.advance(1);
    await slept;
    expect(woke).toEqual([35]);
    expect(clock.pending).toBe(0);
  });

  it("measures on the scope's clock and marks the task blocked on `sleep`", async () => {
    const clock = new VirtualClock();
    const seen = await run(
      (scope) =>
        taskGroup(scope, async (group) => {
          const task = group.spawn((s) => sleep(10, s));
          await clock.advance(0);
          const during = [task.state, [...task.blockedOn], clock.pending];
          await clock.advance(10);
          return [during, task.state, clock.now()];
        }),
      { clock },
    );
    expect(seen).toEqual([["blocked", ["sleep"], 1], "done", 10]);
  });

  it("prefers `clock` over the scope's clock when given `{ scope, clock }`", async () => {
    const runClock = new VirtualClock();
    const other = new VirtualClock();
    await run(
      async (scope) => {
        const slept = sleep(5, { scope, clock: other });
        expect([runClock.pending, other.pending]).toEqual([0, 1]);
        await other.advance(5);
        await slept;
      },
      { clock: runClock },
    );
  });

  it("measures on systemClock by default", async () => {
    const spy = vi.spyOn(globalThis, "setTimeout");
    const clear = vi.spyOn(globalThis, "clearTimeout");
    const { controller, signal } = spiedSignal();
    const slept = sleep(60_000, { signal });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]?.[1]).toBeGreaterThan(59_000);
    controller.abort("stop");
    await expect(slept).rejects.toBe("stop");
    expect(clear).toHaveBeenCalledTimes(1);
    expect(systemClock.now()).toBeGreaterThan(0);
  });

  it("resolves sleep(0) on a microtask without a timer, even on a clock nobody advances", async () => {
    const clock = new VirtualClock();
    const slept = sleep(0, { clock });
    expect(clock.pending).toBe(0);
    await slept;
    expect(clock.now()).toBe(0);
  });

  it("rejects with the scope's CancelledError when the scope is cancelled, clearing its timer", async () => {
    const clock = new VirtualClock();
    let cancelled: unknown;
    await run(
      (scope) =>
        cancelScope(scope, async (inner) => {
          const slept = sleep(100, inner);
          expect(clock.pending).toBe(1);
          inner.cancel("enough");
          cancelled = await slept.catch((error: unknown) => error);
          expect(clock.pending).toBe(0);
          throw cancelled;
        }),
      { clock },
    );
    expect(CancelledError.is(cancelled)).toBe(true);
    expect((cancelled as CancelledError).reason).toBe("enough");
  });

  it("rejects at once, without a timer, inside an already cancelled scope (level-triggered)", async () => {
    const clock = new VirtualClock();
    const errors = await run(
      (scope) =>
        cancelScope(scope, async (inner) => {
          inner.cancel();
          const first = await sleep(0, inner).catch((error: unknown) => error);
          const second = await sleep(50, inner).catch((error: unknown) => error);
          expect(clock.pending).toBe(0);
          return [first, second];
        }),
      { clock },
    );
    expect(errors?.[0]).toBeInstanceOf(CancelledError);
    expect(errors?.[1]).toBe(errors?.[0]);
  });

  it("loses to the scope's deadline when both fall due at the same instant, even if set first", async () => {
    const clock = new VirtualClock();
    const outcome = await run(
      async (scope) => {
        let caught = false;
        const value = await cancelScope(scope, async (inner) => {
          const slept = sleep(10, inner);
          inner.deadline = 10;
          await clock.advance(0);
          const done = slept.then(
            () => "woke",
            (error: unknown) => {
              caught = CancelledError.is(error) && error.source === "deadline";
              return error;
            },
          );
          await clock.advance(10);
          const result = await done;
          if (result !== "woke") throw result;
          return result;
        });
        return [value, caught, clock.pending];
      },
      { clock },
    );
    expect(outcome).toEqual([undefined, true, 0]);
  });

  it("rejects with signal.reason when the signal aborts, and removes its listener", async () => {
    const clock = new VirtualClock();
    const { controller, signal, listeners } = spiedSignal();
    const reason = new Error("aborted");
    const slept = sleep(100, { signal, clock });
    expect(listeners()).toBe(1);
    await clock.advance(40);
    controller.abort(reason);
    await expect(slept).rejects.toBe(reason);
    expect(listeners()).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it("rejects at once with the reason of an already aborted signal, adding no listener or timer", async () => {
    const clock = new VirtualClock();
    const { controller, signal, listeners } = spiedSignal();
    controller.abort("early");
    let outcome: unknown = "pending";
    sleep(100, { signal, clock }).catch((error: unknown) => {
      outcome = error;
    });
    await null;
    await null;
    expect(outcome).toBe("early");
    expect([listeners(), clock.pending]).toEqual([0, 0]);
  });

  it("removes its listener when it completes normally", async () => {
    const clock = new VirtualClock();
    const { signal, listeners } = spiedSignal();
    const slept = sleep(5, { signal, clock });
    await clock.advance(5);
    await slept;
    expect([listeners(), clock.pending]).toEqual([0, 0]);
  });

  it("sleeps until cancelled for Infinity, without a timer", async () => {
    const clock = new VirtualClock();
    const { controller, signal } = spiedSignal();
    const slept = sleep(Number.POSITIVE_INFINITY, { signal, clock });
    expect(clock.pending).toBe(0);
    await clock.advance(1e12);
    controller.abort("bye");
    await expect(slept).rejects.toBe("bye");
  });

  it("throws RangeError synchronously for a negative or NaN duration, naming the value", () => {
    // @ts-expect-error: the options are required; a JavaScript caller may still leave them out
    expect(() => sleep(-1)).toThrow(
      new RangeError(
        "Expected `ms` to be a non-negative number of milliseconds or Infinity, got `-1` (number)",
      ),
    );
    // @ts-expect-error: the options are required; a JavaScript caller may still leave them out
    expect(() => sleep(Number.NaN)).toThrow(
      new RangeError(
        "Expected `ms` to be a non-negative number of milliseconds or Infinity, got `NaN` (number)",
      ),
    );
    // @ts-expect-error: the options are required; a JavaScript caller may still leave them out
    expect(() => sleep(Number.NEGATIVE_INFINITY)).toThrow(RangeError);
    // @ts-expect-error: the options are required; a JavaScript caller may still leave them out
    expect(() => sleep("5" as unknown as number)).toThrow(
      new TypeError(
        'Expected `ms` to be a non-negative number of milliseconds or Infinity, got `"5"` (string)',
      ),
    );
  });

  it("throws RangeError synchronously for Infinity when no scope or signal could end it", () => {
    const clock = new VirtualClock();
    const endless = new RangeError(
      "Expected `ms` to be finite when no scope or signal is given, got `Infinity` (number): nothing could ever end the wait (pass a scope or `{ signal }`)",
    );
    // @ts-expect-error: the options are required; a JavaScript caller may still leave them out
    expect(() => sleep(Number.POSITIVE_INFINITY)).toThrow(endless);
    expect(() => sleep(Number.POSITIVE_INFINITY, {})).toThrow(endless);
    expect(() => sleep(Number.POSITIVE_INFINITY, { clock })).toThrow(endless);
    expect(clock.pending).toBe(0);
  });

  it("throws TypeError synchronously for malformed options", () => {
    const scope = { signal: new AbortController().signal } as unknown as Scope;
    expect(() => sleep(1, 5 as never)).toThrow(
      new TypeError("Expected `options` to be an object, got `5` (number)"),
    );
    expect(() => sleep(1, { signal: {} as AbortSignal })).toThrow(
      new TypeError("Expected `signal` to be an AbortSignal, got `{}` (object)"),
    );
    expect(() => sleep(1, { clock: { now: () => 0 } as never })).toThrow(TypeError);
    expect(() => sleep(1, { scope })).toThrow(TypeError);
  });

  it("rejects both `scope` and `signal` with a TypeError", async () => {
    await run(async (scope) => {
      expect(() => sleep(1, { scope, signal: new AbortController().signal })).toThrow(
        new TypeError(
          "Expected either `scope` or `signal`, got both (a scope already carries its signal)",
        ),
      );
    });
  });
});

describe("sleepUntil", () => {
  it("throws RangeError synchronously for an Infinity deadline that nothing could end", () => {
    const clock = new VirtualClock();
    expect(() => sleepUntil(Number.POSITIVE_INFINITY, { clock })).toThrow(
      new RangeError(
        "Expected `deadline` to be finite when no scope or signal is given, got `Infinity` (number): nothing could ever end the wait (pass a scope or `{ signal }`)",
      ),
    );
    // @ts-expect-error: the options are required; a JavaScript caller may still leave them out
    expect(() => sleepUntil(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(clock.pending).toBe(0);
  });

  it("resolves when the clock reaches the absolute deadline", async () => {
    const clock = new VirtualClock({ start: 100 });
    const woke: number[] = [];
    const slept = sleepUntil(130, { clock }).then(() => woke.push(clock.now()));
    await clock.advanceTo(129);
    expect(woke).toEqual([]);
    await clock.advanceTo(130);
    await slept;
    expect(woke).toEqual([130]);
  });

  it("resolves at once, without a timer, for a deadline in the past", async () => {
    const clock = new VirtualClock({ start: 100 });
    const slept = sleepUntil(-5, { clock });
    expect(clock.pending).toBe(0);
    await slept;
  });

  it("marks the task blocked on `sleepUntil` and is cancelled with the scope", async () => {
    const clock = new VirtualClock();
    const outcome = await run(
      async (scope) => {
        let labels: string[] = [];
        const value = await moveOnAfter(scope, 20, async (inner) => {
          await taskGroup(inner, async (group) => {
            const task = group.spawn((s) => sleepUntil(50, s));
            await clock.advance(0);
            labels = [...task.blockedOn];
            await clock.advance(20);
          });
          return "finished";
        });
        return [value, labels, clock.now(), clock.pending];
      },
      { clock },
    );
    expect(outcome).toEqual([undefined, ["sleepUntil"], 20, 0]);
  });

  it("throws RangeError synchronously for a NaN deadline", () => {
    // @ts-expect-error: the options are required; a JavaScript caller may still leave them out
    expect(() => sleepUntil(Number.NaN)).toThrow(
      new RangeError("Expected `deadline` to be a number, got `NaN` (number)"),
    );
  });
});
