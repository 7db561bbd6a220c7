import type { Scope } from "@weft/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type IntervalOptions,
  interval,
  type RetryOptions,
  sleep,
  sleepForever,
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
});
