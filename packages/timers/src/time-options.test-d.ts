import type { Scope } from "@weft/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type IntervalOptions,
  interval,
  type RetryOptions,
  retry,
  sleep,
  sleepForever,
  sleepUntil,
  type TimeOptions,
  timeoutSignal,
  VirtualClock,
} from "./index.ts";

describe("TimeOptions", () => {
  it("accepts a Scope, a plain signal, a clock, or a scope with more options", () => {
    expectTypeOf<Scope>().toExtend<TimeOptions>();
    expectTypeOf<Scope>().toExtend<IntervalOptions>();
    expectTypeOf<Scope>().toExtend<RetryOptions>();
    expectTypeOf({ signal: new AbortController().signal }).toExtend<TimeOptions>();
    expectTypeOf({ clock: new VirtualClock() }).toExtend<TimeOptions>();
    expectTypeOf<{ scope: Scope; missed: "burst" }>().toExtend<IntervalOptions>();
    expectTypeOf<{ missed: "delay" }>().not.toExtend<IntervalOptions>();
  });

  it("types every timer function as the contract states", () => {
    expectTypeOf(sleep).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(sleepForever).returns.toEqualTypeOf<Promise<never>>();
    expectTypeOf(interval).returns.toEqualTypeOf<AsyncIterableIterator<number>>();
    expectTypeOf(timeoutSignal).returns.toEqualTypeOf<AbortSignal>();
    expectTypeOf(sleepForever).parameter(0).toEqualTypeOf<TimeOptions>();
  });

  it("is required wherever cancellation or the clock flows through it: a forgotten scope does not compile", () => {
    const clock = new VirtualClock();
    // @ts-expect-error: sleep needs its scope or options
    void sleep(10);
    // @ts-expect-error: sleepUntil needs its scope or options
    void sleepUntil(10);
    // @ts-expect-error: interval needs its scope or options
    void interval(10);
    // @ts-expect-error: retry needs its scope or options
    void retry(async () => 1);
    expectTypeOf(sleep(10, { clock })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(sleepUntil(10, { clock })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(interval(10, { clock })).toEqualTypeOf<AsyncIterableIterator<number>>();
    expectTypeOf(retry(async () => 1, { clock })).toEqualTypeOf<Promise<number>>();
  });
});
