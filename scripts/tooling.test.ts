import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";

// Tests of the workspace tooling, not of Weft: if one fails, tests elsewhere may be testing the
// wrong files.

describe("the @weft/source condition", () => {
  it.each([
    ["@weft/core", "../packages/core/src/index.ts"],
    ["@weft/timers", "../packages/timers/src/index.ts"],
    ["@weft/channels", "../packages/channels/src/index.ts"],
    ["@weft/testing", "../packages/testing/src/index.ts"],
    ["@weft/testing/vitest", "../packages/testing/src/vitest.ts"],
  ])("resolves %s to its TypeScript source", async (specifier, source) => {
    const byName = await import(specifier);
    const bySource = await import(source);
    expect(byName).toBe(bySource);
  });
});

describe("@fast-check/vitest", () => {
  let runs = 0;

  test.prop([fc.nat()], { numRuns: 25 })("runs a property once per generated input", (n) => {
    runs += 1;
    expect(Number.isInteger(n) && n >= 0).toBe(true);
  });

  it("ran the property exactly numRuns times", () => {
    expect(runs).toBe(25);
  });

  it("finds and shrinks a counterexample", () => {
    const result = fc.check(fc.property(fc.integer(), (n) => n < 10));
    expect(result.failed).toBe(true);
    expect(result.counterexample).toEqual([10]);
  });
});
