import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { CancelledError, cancelScope, type Scope, taskGroup } from "./index.ts";

// No timer outlives a test: every sleep and deadline is cleaned up when its scope exits.
it.afterEach(({ clock }) => {
  expect(clock.pending).toBe(0);
});

describe("taskGroup", () => {
  describe("cancellation", () => {
    it("propagates the outer CancelledError unwrapped when cancelled from outside, and the outer scope absorbs it", async ({
      scope,
    }) => {
      let thrown: unknown;
      const value = await cancelScope(scope, async (outer) => {
        try {
          await taskGroup(outer, async (group) => {
            group.spawn((s) => sleep(100, s));
            outer.cancel("outside");
            await sleep(100, group.scope);
          });
        } catch (error) {
          thrown = error;
          throw error;
        }
      });
      expect(value).toBeUndefined();
      expect(thrown).toBeInstanceOf(CancelledError);
      expect(thrown).toMatchObject({ source: "explicit", reason: "outside" });
    });

    it("exits normally after group.cancel(), with the body's value or undefined", async ({
      clock,
      scope,
    }) => {
      const log: string[] = [];
      const interrupted = await taskGroup(scope, async (group) => {
        group.spawn(async (s) => {
          await sleep(100, s).catch((error: unknown) => log.push(`child ${(error as Error).name}`));
        });
        await sleep(5, group.scope);
        group.cancel();
        await sleep(5, group.scope);
        return "unreachable";
      });
      const completed = await taskGroup(scope, async (group) => {
        group.spawn((s) => sleep(100, s));
        group.cancel("done");
        return "body value";
      });
      log.push(`t=${clock.now()}`);
      expect(interrupted).toBeUndefined();
      expect(completed).toBe("body value");
      expect(log).toEqual(["child CancelledError", "t=5"]);
    });

    it("marks the group's scope cancelCalled and cancelledCaught after group.cancel()", async ({
      scope,
    }) => {
      let groupScope: Scope | undefined;
      await taskGroup(scope, async (group) => {
        groupScope = group.scope;
        group.spawn((s) => sleep(10, s));
        group.cancel();
      });
      expect([groupScope?.cancelCalled, groupScope?.cancelledCaught, scope.cancelled]).toEqual([
        true,
        true,
        false,
      ]);
    });

    it("cancels one child with task.cancel(): its result rejects with CancelledError and the group is unaffected", async ({
      clock,
      scope,
    }) => {
      let cancelledResult: unknown;
      const value = await taskGroup(scope, async (group) => {
        const victim = group.spawn((s) => sleep(100, s).then(() => "slept"));
        const survivor = group.spawn((s) => sleep(20, s).then(() => "survived"));
        await sleep(5, group.scope);
        victim.cancel("not needed");
        cancelledResult = await victim.result.catch((error: unknown) => error);
        return [await survivor.result, victim.done, victim.scope.cancelledCaught, clock.now()];
      });
      expect(value).toEqual(["survived", true, true, 20]);
      expect(cancelledResult).toMatchObject({
        name: "CancelledError",
        source: "explicit",
        reason: "not needed",
      });
    });

    it("resolves a cancelled task's result with its value when it swallows the cancellation", async ({
      scope,
    }) => {
      const value = await taskGroup(scope, async (group) => {
        const task = group.spawn(async (s) => {
          await sleep(100, s).catch(() => undefined);
          return "cleaned up";
        });
        task.cancel();
        return task.result;
      });
      expect(value).toBe("cleaned up");
    });
  });
});
