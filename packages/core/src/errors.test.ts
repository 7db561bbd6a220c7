import { describe, expect, it } from "vitest";
import { CancelledError, isCancellation, TaskGroupError, TimeoutError } from "./index.ts";

describe("CancelledError", () => {
  it("has a name, a reason, a source and the reason as cause", () => {
    const error = new CancelledError(undefined, { reason: "why", source: "deadline" });
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.reason, error.source, error.cause, error.message]).toEqual([
      "CancelledError",
      "why",
      "deadline",
      "why",
      "The scope's deadline passed",
    ]);
    expect(new CancelledError().source).toBe("explicit");
  });

  it("is recognised across copies of the package by is()", () => {
    const foreign = Object.assign(new Error("x"), { [Symbol.for("weft.CancelledError")]: true });
    expect([
      CancelledError.is(new CancelledError()),
      CancelledError.is(foreign),
      CancelledError.is(new Error()),
    ]).toEqual([true, true, false]);
  });
});

describe("TimeoutError", () => {
  it("has its name, chains cause and is recognised by is()", () => {
    const cause = new CancelledError();
    const error = new TimeoutError(undefined, { cause });
    expect([
      error.name,
      error.message,
      error.cause,
      TimeoutError.is(error),
      TimeoutError.is(cause),
    ]).toEqual(["TimeoutError", "The operation timed out", cause, true, false]);
  });
});

describe("TaskGroupError", () => {
  it("is an AggregateError whose message states the count", () => {
    expect(new TaskGroupError([new Error("a"), new RangeError("b")]).message).toBe(
      "2 tasks failed: Error: a; RangeError: b",
    );
    expect(new TaskGroupError(["x"]).message).toBe('1 task failed: `"x"` (string)');
    const error = new TaskGroupError([1, 2, 3, 4]);
    expect(error.message).toBe("4 tasks failed: `1` (number); `2` (number); `3` (number); …");
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.errors).toEqual([1, 2, 3, 4]);
    expect(TaskGroupError.is(error)).toBe(true);
  });
});

describe("isCancellation", () => {
  it("is true only for CancelledError", () => {
    expect([
      isCancellation(new CancelledError()),
      isCancellation(new TimeoutError()),
      isCancellation(new DOMException("x", "AbortError")),
      isCancellation(undefined),
    ]).toEqual([true, false, false, false]);
  });
});
