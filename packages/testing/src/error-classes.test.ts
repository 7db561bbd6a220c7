import type { TaskSnapshot } from "@weft/core";
import { addBrand } from "@weft/core/internal";
import { describe, expect, it } from "vitest";
import { DeadlockError, TimerLeakError } from "./index.ts";

const tree: TaskSnapshot = {
  id: 1,
  name: "main",
  state: "blocked",
  blockedOn: ["Event.wait"],
  cancelled: false,
  children: [
    { id: 2, name: "worker", state: "running", blockedOn: [], cancelled: true, children: [] },
  ],
};

describe("DeadlockError", () => {
  it("keeps the message as given when there is no task tree", () => {
    const error = new DeadlockError("stuck", undefined, 250);
    expect(error.message).toBe("stuck");
    expect(error.name).toBe("DeadlockError");
    expect(error.tasks).toBeUndefined();
    expect(error.time).toBe(250);
  });

  it("appends the task tree on the lines after the message", () => {
    const error = new DeadlockError("stuck", tree, 0);
    expect(error.message).toBe(
      "stuck\n#1 main (blocked on Event.wait)\n  #2 worker (running, cancelled)",
    );
    expect(error.tasks).toBe(tree);
  });

  it("recognises one from another copy of the package by its shared brand, and nothing else", () => {
    class OtherCopy extends Error {}
    addBrand(OtherCopy, Symbol.for("weft.DeadlockError"));
    expect(DeadlockError.is(new OtherCopy())).toBe(true);
    expect(DeadlockError.is(new DeadlockError("x", undefined, 0))).toBe(true);
    expect(DeadlockError.is(new TimerLeakError([]))).toBe(false);
    expect(DeadlockError.is(new Error("stuck"))).toBe(false);
  });
});

describe("TimerLeakError", () => {
  it("names one leaked timer in the singular, with nothing after the list by default", () => {
    const timers = [{ kind: "setTimeout", due: 1000 }] as const;
    const error = new TimerLeakError(timers);
    expect(error.message).toBe(
      "1 timer was still pending when the test ended: setTimeout due at 1000 ms",
    );
    expect(error.name).toBe("TimerLeakError");
    expect(error.timers).toBe(timers);
  });

  it("lists several in the plural, in order, and ends with the suffix", () => {
    const error = new TimerLeakError(
      [
        { kind: "setInterval", due: 5 },
        { kind: "setImmediate", due: 0 },
      ],
      " (seed 7)",
    );
    expect(error.message).toBe(
      "2 timers were still pending when the test ended: setInterval due at 5 ms, setImmediate due at 0 ms (seed 7)",
    );
  });

  it("recognises one from another copy of the package by its shared brand, and nothing else", () => {
    class OtherCopy extends Error {}
    addBrand(OtherCopy, Symbol.for("weft.TimerLeakError"));
    expect(TimerLeakError.is(new OtherCopy())).toBe(true);
    expect(TimerLeakError.is(new TimerLeakError([]))).toBe(true);
    expect(TimerLeakError.is(new DeadlockError("x", undefined, 0))).toBe(false);
    expect(TimerLeakError.is(undefined)).toBe(false);
  });
});
