import { describe, expectTypeOf, it } from "vitest";
import { type Backoff, constant, exponential, retry } from "./index.ts";

describe("retry", () => {
  it("resolves with the type fn resolves with and passes it the attempt number", () => {
    expectTypeOf(retry(async () => 42, {})).toEqualTypeOf<Promise<number>>();
    expectTypeOf(retry(async (attempt) => `try ${attempt}`, { retries: 2 })).toEqualTypeOf<
      Promise<string>
    >();
    // @ts-expect-error fn must return a promise
    void retry(() => 1, {});
  });

  it("takes any (retry number) => delay function as a backoff", () => {
    expectTypeOf(exponential()).toEqualTypeOf<Backoff>();
    expectTypeOf(constant(5)).toEqualTypeOf<Backoff>();
    expectTypeOf((n: number) => n * 100).toExtend<Backoff>();
    expectTypeOf<{ backoff: (n: number) => number }>().toExtend<Parameters<typeof retry>[1]>();
  });
});
