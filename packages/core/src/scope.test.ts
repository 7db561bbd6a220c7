import { fakeTime } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { CancelledError, cancelScope, checkpoint, taskGroup } from "./index.ts";

// No timer outlives a test: every sleep and deadline is cleaned up when its scope exits.
it.afterEach(({ clock }) => {
  expect(clock.pending).toBe(0);
});

describe("Scope", () => {
  describe("cancel", () => {
    it("is synchronous and idempotent, never throws, and the first reason wins", async ({
      scope,
    }) => {
      const result = await cancelScope(scope, async (s) => {
        expect(s.cancelled).toBe(false);
        s.cancel("first");
        const afterFirst = [s.cancelled, s.cancelCalled];
        expect(() => s.cancel("second")).not.toThrow();
        const error = await checkpoint(s).catch((caught: unknown) => caught);
        return [afterFirst, (error as CancelledError).reason, (error as CancelledError).source];
      });
      // The scope absorbed its own cancellation (checkpoint's rejection was caught in the body).
      expect(result).toEqual([[true, true], "first", "explicit"]);
    });

    it("cancels descendants with the same CancelledError instance", async ({ scope }) => {
      const errors: unknown[] = [];
      await cancelScope(scope, async (outer) => {
        await taskGroup(outer, async (group) => {
          for (let i = 0; i < 3; i++) {
            group.spawn((s) =>
              cancelScope(s, (inner) =>
                sleep(100, inner).catch((e: unknown) => {
                  errors.push(e);
                  throw e;
                }),
              ),
            );
          }
          await checkpoint(group.scope);
          outer.cancel("stop");
        });
      });
      expect(errors).toHaveLength(3);
      expect(errors[0]).toBeInstanceOf(CancelledError);
      expect(errors[1]).toBe(errors[0]);
      expect(errors[2]).toBe(errors[0]);
      expect((errors[0] as CancelledError).reason).toBe("stop");
    });

    it("is level-triggered: every operation in a cancelled scope throws until its body exits", async ({
      scope,
    }) => {
      const names = await cancelScope(scope, async (s) => {
        s.cancel();
        const outcomes: string[] = [];
        for (let i = 0; i < 3; i++) {
          await sleep(1, s).then(
            () => outcomes.push("slept"),
            (error: unknown) => outcomes.push((error as Error).name),
          );
        }
        return outcomes;
      });
      expect(names).toEqual(["CancelledError", "CancelledError", "CancelledError"]);
    });
  });

  describe("signal", () => {
    it("creates no AbortController until it is read", async () => {
      const Original = globalThis.AbortController;
      let created = 0;
      globalThis.AbortController = class extends Original {
        constructor() {
          super();
          created++;
        }
      };
      try {
        await fakeTime(async ({ clock, scope }) => {
          await taskGroup(scope, async (group) => {
            for (let i = 0; i < 100; i++) group.spawn((s) => sleep(10, s));
            await checkpoint(group.scope);
            group.cancel();
          });
          expect(created).toBe(0);
          void scope.signal;
          expect(created).toBe(1);
          void scope.signal;
          expect(created).toBe(1);
          expect(clock.pending).toBe(0);
        });
      } finally {
        globalThis.AbortController = Original;
      }
    });

    it("aborts synchronously inside cancel(), once, with the CancelledError as reason", async ({
      scope,
    }) => {
      const result = await cancelScope(scope, async (s) => {
        const reasons: unknown[] = [];
        s.signal.addEventListener("abort", () => reasons.push(s.signal.reason));
        s.cancel("why");
        const synchronous = reasons.length;
        s.cancel("again");
        return { synchronous, reasons };
      });
      expect(result?.synchronous).toBe(1);
      expect(result?.reasons).toHaveLength(1);
      expect(result?.reasons[0]).toBeInstanceOf(CancelledError);
      expect(result?.reasons[0]).toMatchObject({ reason: "why", source: "explicit" });
    });

    it("is already aborted when first read on a cancelled scope", async ({ scope }) => {
      const reason = await cancelScope(scope, async (s) => {
        s.cancel("early");
        return s.signal.aborted ? (s.signal.reason as CancelledError).reason : "not aborted";
      });
      expect(reason).toBe("early");
    });

    it("aborts with a CancelledError of source deadline when the deadline passes", async ({
      scope,
    }) => {
      let reason: unknown;
      await cancelScope(
        scope,
        async (s) => {
          s.signal.addEventListener("abort", () => {
            reason = s.signal.reason;
          });
          await sleep(50, s);
        },
        { timeout: 10 },
      );
      expect(reason).toMatchObject({ name: "CancelledError", source: "deadline" });
    });

    it("works with APIs that take { signal }, such as addEventListener", async ({ scope }) => {
      const fired = await cancelScope(scope, async (s) => {
        const target = new EventTarget();
        let count = 0;
        target.addEventListener("ping", () => count++, s);
        target.dispatchEvent(new Event("ping"));
        s.cancel();
        target.dispatchEvent(new Event("ping"));
        return count;
      });
      expect(fired).toBe(1);
    });
  });
});
