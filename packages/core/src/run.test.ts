import { trackListeners } from "@weft/testing";
import { sleep, VirtualClock } from "@weft/timers";
import { describe, expect, it } from "vitest";
import { CancelledError, checkpoint, run, systemClock, taskGroup } from "./index.ts";

// These tests are about `run` itself (its options, its external signal, its default clock, what
// it leaves behind once settled), which the fake-time harness would hide: they call `run` directly.

describe("run", () => {
  it("resolves with main's value", async () => {
    expect(await run(async () => 42)).toBe(42);
  });

  it("rejects with exactly the error main throws, unwrapped", async () => {
    const error = new Error("boom");
    await expect(run(async () => Promise.reject(error))).rejects.toBe(error);
    await expect(run(async () => Promise.reject("text"))).rejects.toBe("text");
  });

  it("calls main with a root scope on the system clock by default", async () => {
    const seen = await run(async (scope) => [scope.clock, scope.cancelled, scope.name] as const);
    expect(seen).toEqual([systemClock, false, "main"]);
  });

  it("gives the root scope the clock and name it is given", async () => {
    const clock = new VirtualClock({ start: 5 });
    const seen = await run(async (scope) => [scope.clock, scope.clock.now(), scope.name] as const, {
      clock,
      name: "app",
    });
    expect(seen).toEqual([clock, 5, "app"]);
  });

  it("cancels the root scope when the external signal aborts, with source signal and the signal's reason", async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const promise = run(
      async (scope) => {
        queueMicrotask(() => controller.abort("stop"));
        await sleep(1000, scope);
      },
      { clock, signal: controller.signal },
    );
    const error = await promise.catch((caught: unknown) => caught);
    expect(CancelledError.is(error)).toBe(true);
    expect(error).toMatchObject({ name: "CancelledError", source: "signal", reason: "stop" });
    expect(clock.now()).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it("makes main's first checkpoint throw when the signal is already aborted", async () => {
    const reason = new Error("gone");
    const steps: string[] = [];
    const error = await run(
      async (scope) => {
        steps.push("started");
        await checkpoint(scope);
        steps.push("passed");
      },
      { signal: AbortSignal.abort(reason) },
    ).catch((caught: unknown) => caught);
    expect(steps).toEqual(["started"]);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).reason).toBe(reason);
    expect((error as CancelledError).cause).toBe(reason);
  });

  it("removes its listener from the external signal when it settles", async () => {
    const controller = new AbortController();
    const signal = controller.signal;
    const listeners = trackListeners(signal);
    await run(async () => "ok", { signal });
    await run(async () => Promise.reject(new Error("x")), { signal }).catch(() => undefined);
    expect(listeners.count).toBe(0);
  });

  it("leaves no timer or deadline pending after it settles", async () => {
    const clock = new VirtualClock();
    const promise = run(
      async (scope) => {
        scope.deadline = 10_000;
        await taskGroup(scope, async (group) => {
          group.spawn((inner) => sleep(5, inner));
        });
        return clock.now();
      },
      { clock },
    );
    await clock.runAll();
    expect(await promise).toBe(5);
    expect(clock.pending).toBe(0);
  });

  it("throws a TypeError naming the argument for bad input, synchronously", () => {
    expect(() => run(42 as never)).toThrow(
      new TypeError("Expected `main` to be a function, got `42` (number)"),
    );
    expect(() => run(async () => 1, { clock: {} as never })).toThrow(TypeError);
    expect(() => run(async () => 1, { signal: "x" as never })).toThrow(
      'Expected `signal` to be an AbortSignal, got `"x"` (string)',
    );
    expect(() => run(async () => 1, { name: 5 as never })).toThrow(
      "Expected `name` to be a string, got `5` (number)",
    );
  });
});

describe("run's shuffle option", () => {
  it("reorders the tasks that become ready together, and only those", async () => {
    const order = await run(
      (scope) =>
        taskGroup(scope, async (group) => {
          const started: string[] = [];
          for (const name of ["a", "b", "c"]) group.spawn(async () => void started.push(name));
          await checkpoint(scope);
          group.spawn(async () => void started.push("d"));
          return started;
        }),
      { shuffle: (items) => items.reverse() },
    );
    expect(order).toEqual(["c", "b", "a", "d"]);
  });

  it("throws a TypeError when it is not a function", () => {
    expect(() => run(async () => 1, { shuffle: 1 as never })).toThrow(
      new TypeError("Expected `shuffle` to be a function, got `1` (number)"),
    );
  });
});

describe("shuffleOf (internal)", () => {
  it("hands primitives the run's shuffle for a scope of that run, and nothing otherwise", async () => {
    const { shuffleOf } = await import("./internal/seeded.ts");
    const shuffle = <T>(items: T[]): void => {
      items.reverse();
    };
    const seen = await run(async (scope) => shuffleOf(scope), { shuffle });
    expect(seen).toBe(shuffle);
    expect(await run(async (scope) => shuffleOf(scope))).toBe(undefined);
    expect(shuffleOf({ signal: new AbortController().signal })).toBe(undefined);
  });
});
