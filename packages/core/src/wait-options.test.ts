import { it } from "@weft/testing/vitest";
import { describe, expect } from "vitest";
import { Barrier, Condition, Event, Limiter, Lock, Semaphore } from "./index.ts";

const noSignal = (shown: string) =>
  new TypeError(
    `Expected \`options\` to be a Scope, \`{ signal }\` or undefined, got ${shown}: without a signal nothing can cancel the wait, so it could hang forever (pass the scope itself)`,
  );

/** Every wait of the sync primitives, each on a fresh primitive that would block. */
function waits(): Record<string, (options: unknown) => Promise<unknown>> {
  const held = new Lock();
  held.tryAcquire();
  const empty = new Semaphore(0);
  const condition = new Condition();
  const busy = new Limiter({ concurrency: 1 });
  return {
    "Event.wait": (options) => new Event().wait(options as never),
    "Lock.acquire": (options) => held.acquire(options as never),
    "Semaphore.acquire": (options) => empty.acquire(options as never),
    "Condition.acquire": (options) => {
      condition.lock.tryAcquire();
      return condition.acquire(options as never);
    },
    "Condition.wait": (options) => {
      condition.lock.tryAcquire();
      return condition.wait(options as never);
    },
    "Barrier.wait": (options) => new Barrier(2).wait(options as never),
    "Limiter.onIdle": (options) => busy.onIdle(options as never),
  };
}

describe("the waits of the sync primitives", () => {
  it("refuse, synchronously, an options object that has no signal: nothing could cancel it", () => {
    for (const [name, wait] of Object.entries(waits())) {
      for (const [options, shown] of [
        [{}, "`{}` (object)"],
        [{ signal: undefined }, "`{}` (object)"],
        [{ scope: {} }, '`{"scope":{}}` (object)'],
        [{ signal: "abort" }, '`{"signal":"abort"}` (object)'],
      ] as const) {
        expect(() => wait(options), name).toThrow(noSignal(shown));
      }
    }
  });

  it("refuse a non-object as options with a TypeError naming it", () => {
    for (const [name, wait] of Object.entries(waits())) {
      expect(() => wait(5), name).toThrow(
        new TypeError(
          "Expected `options` to be a Scope, `{ signal }` or undefined, got `5` (number)",
        ),
      );
      expect(() => wait(null), name).toThrow(TypeError);
    }
  });

  it("leave nothing queued when they refuse their options", () => {
    const lock = new Lock();
    lock.tryAcquire();
    expect(() => lock.acquire({})).toThrow(TypeError);
    expect(lock.waiting).toBe(0);
    const semaphore = new Semaphore(0);
    expect(() => semaphore.acquire({}, 1)).toThrow(TypeError);
    expect(semaphore.waiting).toBe(0);
    const condition = new Condition();
    condition.lock.tryAcquire();
    expect(() => condition.wait({})).toThrow(TypeError);
    expect(condition.locked).toBe(true);
  });

  it("still accept a scope, a `{ signal }`, or nothing at all", async ({ scope }) => {
    const controller = new AbortController();
    const event = new Event();
    event.set();
    await expect(event.wait(scope)).resolves.toBeUndefined();
    await expect(event.wait({ signal: controller.signal })).resolves.toBeUndefined();
    await expect(event.wait()).resolves.toBeUndefined();
    const barrier = new Barrier(1);
    await expect(barrier.wait({ signal: controller.signal })).resolves.toBe(0);
  });
});

describe("Lock.withLock and Semaphore.withPermit", () => {
  it("require a scope or signal: a forgotten one throws a TypeError and runs nothing", () => {
    let called = 0;
    const fn = () => {
      called += 1;
    };
    const missing = new TypeError(
      "Expected `options` to be a Scope or `{ signal }`, got `undefined`: pass the scope whose cancellation should end the wait",
    );
    const lock = new Lock();
    const semaphore = new Semaphore(1);
    const condition = new Condition();
    expect(() => lock.withLock(undefined as never, fn)).toThrow(missing);
    expect(() => semaphore.withPermit(undefined as never, fn)).toThrow(missing);
    expect(() => condition.withLock(undefined as never, fn)).toThrow(missing);
    expect(() => lock.withLock({}, fn)).toThrow(noSignal("`{}` (object)"));
    expect(() => semaphore.withPermit({}, fn)).toThrow(noSignal("`{}` (object)"));
    expect(called).toBe(0);
    expect(lock.locked).toBe(false);
    expect(semaphore.value).toBe(1);
  });
});
