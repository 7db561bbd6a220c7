import { afterEach, describe, expect, it, vi } from "vitest";
import { VirtualClock } from "./index.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("VirtualClock", () => {
  it("starts at 0, or at `start`", () => {
    expect(new VirtualClock().now()).toBe(0);
    expect(new VirtualClock({ start: 1234.5 }).now()).toBe(1234.5);
  });

  it("rejects a start that is not a finite number", () => {
    expect(() => new VirtualClock({ start: Number.NaN })).toThrow(
      new RangeError("Expected `start` to be a number, got `NaN` (number)"),
    );
    expect(() => new VirtualClock({ start: Number.POSITIVE_INFINITY })).toThrow(
      new RangeError("Expected `start` to be a finite number, got `Infinity` (number)"),
    );
    expect(() => new VirtualClock({ start: "0" as unknown as number })).toThrow(TypeError);
  });

  it("fires timers by due time, ties in registration order, each seeing its own due time", async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const at = (time: number, name: string) =>
      clock.setTimer(time, () => log.push(`${name}@${clock.now()}`));
    at(30, "c");
    at(10, "a1");
    at(20, "b");
    at(10, "a2");
    at(10, "a3");
    await clock.advance(30);
    expect(log).toEqual(["a1@10", "a2@10", "a3@10", "b@20", "c@30"]);
    expect(clock.now()).toBe(30);
  });

  it("fires a timer due exactly at the target (advance is inclusive) and not one just after", async () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    clock.setTimer(10, () => log.push(10));
    clock.setTimer(10.000001, () => log.push(10.000001));
    await clock.advance(10);
    expect(log).toEqual([10]);
    expect(clock.pending).toBe(1);
  });

  it("sets now() to the target after advancing, also when no timer fired", async () => {
    const clock = new VirtualClock({ start: 5 });
    await clock.advance(7);
    expect(clock.now()).toBe(12);
    await clock.advanceTo(20);
    expect(clock.now()).toBe(20);
    await clock.advance(0);
    expect(clock.now()).toBe(20);
  });

  it("throws RangeError synchronously for a negative advance and leaves time unchanged", () => {
    const clock = new VirtualClock({ start: 100 });
    expect(() => clock.advance(-1)).toThrow(
      new RangeError("Expected `ms` to be non-negative, got `-1` (number)"),
    );
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => clock.advanceTo(99)).toThrow(
      new RangeError("Expected `time` to be at or after now (100), got `99` (number)"),
    );
    expect(clock.now()).toBe(100);
  });

  it("fires timers set in the past, and at now, at the next advance(0) without moving time back", async () => {
    const clock = new VirtualClock({ start: 50 });
    const seen: number[] = [];
    clock.setTimer(10, () => seen.push(clock.now()));
    clock.setTimer(50, () => seen.push(clock.now()));
    expect(seen).toEqual([]);
    await clock.advance(0);
    expect(seen).toEqual([50, 50]);
  });

  it("drains microtasks between firings, so continuations set timers that fire in the same window", async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.setTimer(10, () => {
      log.push(`first@${clock.now()}`);
      void Promise.resolve()
        .then(() => undefined)
        .then(() => {
          log.push("continuation");
          clock.setTimer(clock.now() + 5, () => log.push(`chained@${clock.now()}`));
        });
    });
    clock.setTimer(12, () => log.push(`second@${clock.now()}`));
    await clock.advance(20);
    expect(log).toEqual(["first@10", "continuation", "second@12", "chained@15"]);
  });

  it("lets pending continuations register timers before an advance starts", async () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    void (async () => {
      await null;
      await null;
      clock.setTimer(3, () => log.push(clock.now()));
    })();
    await clock.advance(3);
    expect(log).toEqual([3]);
  });

  it("drains microtasks after the last firing before advance resolves", async () => {
    const clock = new VirtualClock();
    let reached = false;
    clock.setTimer(1, () => {
      void (async () => {
        for (let i = 0; i < 50; i++) await null;
        reached = true;
      })();
    });
    await clock.advance(1);
    expect(reached).toBe(true);
  });

  it("counts live timers in pending and forgets cancelled ones", async () => {
    const clock = new VirtualClock();
    const a = clock.setTimer(5, () => {});
    clock.setTimer(6, () => {});
    const never = clock.setTimer(Number.POSITIVE_INFINITY, () => {});
    expect(clock.pending).toBe(2);
    expect(clock.next).toBe(5);
    a.cancel();
    a.cancel();
    never.cancel();
    expect(clock.pending).toBe(1);
    expect(clock.next).toBe(6);
    await clock.advance(10);
    expect(clock.pending).toBe(0);
    expect(clock.next).toBe(undefined);
  });

  it("never fires a timer cancelled by an earlier callback at the same instant", async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    let second = clock.setTimer(10, () => log.push("second"));
    clock.setTimer(5, () => {
      log.push("first");
      second.cancel();
      second = clock.setTimer(5, () => log.push("replacement"));
    });
    await clock.advance(10);
    expect(log).toEqual(["first", "replacement"]);
  });

  it("rejects a NaN time and a non-function callback", () => {
    const clock = new VirtualClock();
    expect(() => clock.setTimer(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => clock.setTimer(1, "x" as unknown as () => void)).toThrow(
      new TypeError('Expected `callback` to be a function, got `"x"` (string)'),
    );
  });

  it("keeps firing after a callback throws, then rejects with that error at the target time", async () => {
    const clock = new VirtualClock();
    const boom = new Error("boom");
    const log: number[] = [];
    clock.setTimer(1, () => {
      throw boom;
    });
    clock.setTimer(2, () => log.push(2));
    await expect(clock.advance(5)).rejects.toBe(boom);
    expect(log).toEqual([2]);
    expect(clock.now()).toBe(5);
  });

  it("rejects with an AggregateError when several callbacks throw", async () => {
    const clock = new VirtualClock();
    const errors = [new Error("a"), new Error("b")];
    for (const [index, error] of errors.entries()) {
      clock.setTimer(index, () => {
        throw error;
      });
    }
    const failure = await clock.runAll().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).errors).toEqual(errors);
    expect((failure as AggregateError).message).toBe("2 VirtualClock timer callbacks threw");
  });

  it("creates no real timer", async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, "setTimeout");
    const setIntervalSpy = vi.spyOn(globalThis, "setInterval");
    const clock = new VirtualClock();
    for (let i = 0; i < 20; i++) clock.setTimer(i * 1000, () => {});
    await clock.advance(5000);
    await clock.runNext();
    await clock.runAll();
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(setIntervalSpy).not.toHaveBeenCalled();
  });
});

describe("VirtualClock.runNext", () => {
  it("jumps to the next timer, fires only it and reports whether there was one", async () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    clock.setTimer(40, () => log.push(clock.now()));
    clock.setTimer(40, () => log.push(-clock.now()));
    expect(await clock.runNext()).toBe(true);
    expect(log).toEqual([40]);
    expect(await clock.runNext()).toBe(true);
    expect(log).toEqual([40, -40]);
    expect(await clock.runNext()).toBe(false);
    expect(clock.now()).toBe(40);
  });

  it("sees timers registered by continuations still pending when it is called", async () => {
    const clock = new VirtualClock();
    void Promise.resolve().then(() => clock.setTimer(8, () => {}));
    expect(await clock.runNext()).toBe(true);
    expect(clock.now()).toBe(8);
  });
});

describe("VirtualClock.runAll", () => {
  it("fires every timer, including ones set by callbacks, until none is pending", async () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    const chain = (left: number): void => {
      log.push(clock.now());
      if (left > 0) clock.setTimer(clock.now() + 100, () => chain(left - 1));
    };
    clock.setTimer(100, () => chain(3));
    await clock.runAll();
    expect(log).toEqual([100, 200, 300, 400]);
    expect(clock.pending).toBe(0);
  });

  it("rejects with a clear error past its limit of firings, leaving the rest pending", async () => {
    const clock = new VirtualClock();
    let fired = 0;
    const rearm = (): void => {
      fired++;
      clock.setTimer(clock.now() + 1, rearm);
    };
    clock.setTimer(1, rearm);
    await expect(clock.runAll({ limit: 25 })).rejects.toThrow(
      "VirtualClock.runAll fired 25 timers, its limit, and 1 is still pending; a timer may keep re-arming (raise `limit` or use advance())",
    );
    expect(fired).toBe(25);
    expect(clock.now()).toBe(25);
    expect(clock.pending).toBe(1);
  });

  it("says its limit is 0 rather than blaming a re-arming timer", async () => {
    const clock = new VirtualClock();
    clock.setTimer(5, () => undefined);
    await expect(clock.runAll({ limit: 0 })).rejects.toThrow(
      "VirtualClock.runAll fired 0 timers, its limit, and 1 is still pending (raise `limit`)",
    );
    expect(clock.pending).toBe(1);
    expect(() => clock.runAll({ limit: -1 })).toThrow(
      new RangeError(
        "Expected `limit` to be a non-negative integer or Infinity, got `-1` (number)",
      ),
    );
    expect(() => clock.runAll({ limit: "5" as never })).toThrow(
      new TypeError(
        'Expected `limit` to be a non-negative integer or Infinity, got `"5"` (string)',
      ),
    );
  });

  it("stops at 10,000 firings by default", async () => {
    const clock = new VirtualClock();
    let fired = 0;
    const rearm = (): void => {
      fired++;
      clock.setTimer(clock.now() + 1, rearm);
    };
    clock.setTimer(0, rearm);
    await expect(clock.runAll()).rejects.toThrow("fired 10000 timers");
    expect(fired).toBe(10_000);
  });

  it("fires exactly `limit` timers without error when that empties the clock", async () => {
    const clock = new VirtualClock();
    for (let i = 0; i < 3; i++) clock.setTimer(i, () => {});
    await clock.runAll({ limit: 3 });
    expect(clock.pending).toBe(0);
  });

  it("rejects a limit that is not a non-negative integer", () => {
    const clock = new VirtualClock();
    expect(() => clock.runAll({ limit: -1 })).toThrow(
      new RangeError(
        "Expected `limit` to be a non-negative integer or Infinity, got `-1` (number)",
      ),
    );
    expect(() => clock.runAll({ limit: 1.5 })).toThrow(RangeError);
  });
});
