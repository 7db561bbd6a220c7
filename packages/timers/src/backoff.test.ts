import { describe, expect, it } from "vitest";
import { constant, exponential } from "./index.ts";

/** A random source that returns `values` in turn. */
function scripted(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] as number;
}

describe("exponential", () => {
  it("doubles from 100 ms by default, without cap or jitter", () => {
    const backoff = exponential();
    expect([1, 2, 3, 4, 5, 6].map((n) => backoff(n))).toEqual([100, 200, 400, 800, 1600, 3200]);
  });

  it("computes the n-th delay as min(max, initial · factor^(n-1))", () => {
    const backoff = exponential({ initial: 50, factor: 3, max: 1000 });
    expect([1, 2, 3, 4, 5].map((n) => backoff(n))).toEqual([50, 150, 450, 1000, 1000]);
  });

  it("caps at max even when factor^(n-1) overflows, and stays 0 from an initial of 0", () => {
    expect(exponential({ max: 5000 })(5000)).toBe(5000);
    expect(exponential({ initial: 0 })(5000)).toBe(0);
    expect(exponential()(5000)).toBe(Number.POSITIVE_INFINITY);
    expect(exponential({ factor: 1, initial: 7 })(5000)).toBe(7);
  });

  it("waits uniformly in [0, d) with full jitter, from the injected random source", () => {
    const backoff = exponential({ initial: 100, jitter: "full", random: scripted(0, 0.5, 0.25) });
    expect([1, 2, 3].map((n) => backoff(n))).toEqual([0, 100, 100]);
  });

  it("waits d/2 plus uniformly in [0, d/2) with equal jitter", () => {
    const backoff = exponential({ initial: 100, jitter: "equal", random: scripted(0, 0.5, 0.999) });
    expect([1, 2, 3].map((n) => backoff(n))).toEqual([50, 150, 399.8]);
  });

  it("draws no random number without jitter", () => {
    let draws = 0;
    const backoff = exponential({
      random: () => {
        draws++;
        return 0.5;
      },
    });
    backoff(1);
    backoff(2);
    expect(draws).toBe(0);
  });

  it("throws RangeError when the random source leaves [0, 1]", () => {
    const backoff = exponential({ jitter: "full", random: () => 1.5 });
    expect(() => backoff(1)).toThrow(
      new RangeError("Expected `random()` to return a number in [0, 1], got `1.5` (number)"),
    );
  });

  it("throws synchronously for bad options, naming the value", () => {
    expect(() => exponential({ initial: -1 })).toThrow(
      new RangeError(
        "Expected `initial` to be a finite non-negative number of milliseconds, got `-1` (number)",
      ),
    );
    expect(() => exponential({ initial: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => exponential({ factor: 0.5 })).toThrow(
      new RangeError("Expected `factor` to be a finite number of at least 1, got `0.5` (number)"),
    );
    expect(() => exponential({ max: Number.NaN })).toThrow(
      new RangeError("Expected `max` to be a non-negative number or Infinity, got `NaN` (number)"),
    );
    expect(() => exponential({ jitter: "half" as never })).toThrow(
      new TypeError('Expected `jitter` to be "none", "full" or "equal", got `"half"` (string)'),
    );
    expect(() => exponential({ random: 0.5 as never })).toThrow(TypeError);
  });

  it("throws when called with a retry number that is not a positive integer", () => {
    const backoff = exponential();
    expect(() => backoff(0)).toThrow(
      new RangeError("Expected `retry` to be a positive integer, got `0` (number)"),
    );
    expect(() => backoff(1.5)).toThrow(RangeError);
  });
});

describe("constant", () => {
  it("returns the same delay for every retry", () => {
    const backoff = constant(250);
    expect([1, 2, 10, 1000].map((n) => backoff(n))).toEqual([250, 250, 250, 250]);
  });

  it("throws RangeError synchronously for a negative, NaN or infinite delay", () => {
    expect(() => constant(-1)).toThrow(
      new RangeError(
        "Expected `ms` to be a finite non-negative number of milliseconds, got `-1` (number)",
      ),
    );
    expect(() => constant(Number.NaN)).toThrow(RangeError);
    expect(() => constant(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
