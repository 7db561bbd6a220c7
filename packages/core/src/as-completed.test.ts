import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { asCompleted, CancelledError, cancelScope, type Scope } from "./index.ts";
import { valueAfter } from "./task-group.test-support.ts";

it.afterEach(({ clock }) => {
  expect(clock.pending).toBe(0);
});

describe("asCompleted", () => {
  it("yields the values in completion order", async ({ clock, scope }) => {
    const seen: string[] = [];
    for await (const value of asCompleted(scope, [
      valueAfter(30, "c"),
      valueAfter(10, "a"),
      valueAfter(20, "b"),
    ])) {
      seen.push(`${value}@${clock.now()}`);
    }
    expect(seen).toEqual(["a@10", "b@20", "c@30"]);
  });

  it("cancels the rest on break and waits for them before return() resolves", async ({
    clock,
    scope,
  }) => {
    const log: string[] = [];
    const slow = async (s: Scope): Promise<string> => {
      try {
        await sleep(100, s);
        return "slow";
      } finally {
        await cancelScope(s, (cleanup) => sleep(5, cleanup), { shield: true });
        log.push(`cleaned up at ${clock.now()}`);
      }
    };
    for await (const value of asCompleted(scope, [slow, valueAfter(10, "fast")])) {
      log.push(`got ${value}`);
      break;
    }
    log.push(`loop left at ${clock.now()}`);
    expect(log).toEqual(["got fast", "cleaned up at 15", "loop left at 15"]);
  });

  it("throws the first failure itself after cancelling and awaiting the rest", async ({
    clock,
    scope,
  }) => {
    const boom = new Error("boom");
    const seen: number[] = [];
    const failing = async (s: Scope): Promise<number> => {
      await sleep(20, s);
      throw boom;
    };
    const error = await (async () => {
      for await (const value of asCompleted(scope, [
        valueAfter(10, 1),
        failing,
        valueAfter(50, 3),
      ])) {
        seen.push(value);
      }
    })().catch((caught: unknown) => caught);
    expect([error, seen, clock.now()]).toEqual([boom, [1], 20]);
    expect(error).toBe(boom);
  });

  it("throws the parent's CancelledError", async ({ clock, scope }) => {
    const error = await cancelScope(scope, async (outer) => {
      const iterator = asCompleted(outer, [valueAfter(10, 1), valueAfter(20, 2)]);
      outer.cancel("stop");
      return iterator.next().catch((caught: unknown) => caught);
    });
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).reason).toBe("stop");
    expect(clock.now()).toBe(0);
  });

  it("ends at once for no functions", async ({ scope }) => {
    expect(await asCompleted(scope, []).next()).toEqual({ done: true, value: undefined });
  });

  it("throws a TypeError for bad input, synchronously", ({ scope }) => {
    expect(() => asCompleted(scope, 5 as never)).toThrow(
      new TypeError("Expected `fns` to be an iterable of functions, got `5` (number)"),
    );
  });
});
