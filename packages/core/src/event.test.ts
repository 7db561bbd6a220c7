import { waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { describe, expect } from "vitest";
import { CancelledError, cancelScope, Event, moveOnAfter, taskGroup } from "./index.ts";

describe("Event", () => {
  it("starts unset and stays set after set()", () => {
    const event = new Event();
    expect(event.isSet).toBe(false);
    event.set();
    event.set();
    expect(event.isSet).toBe(true);
  });

  it("wakes every waiter, in the order they started waiting", async ({ scope }) => {
    const event = new Event();
    const woken: string[] = [];
    await taskGroup(scope, async (group) => {
      for (const name of ["a", "b", "c"]) {
        group.spawn(async (s) => {
          await event.wait(s);
          woken.push(name);
        });
      }
      await waitAllTasksBlocked(scope);
      expect(woken).toEqual([]);
      event.set();
    });
    expect(woken).toEqual(["a", "b", "c"]);
  });

  it("resolves a wait on an event that is already set", async ({ scope }) => {
    const event = new Event();
    event.set();
    await expect(event.wait(scope)).resolves.toBeUndefined();
    await expect(event.wait()).resolves.toBeUndefined();
  });

  it("rejects a wait on a set event when the scope is cancelled: it is a checkpoint", async ({
    scope,
  }) => {
    const event = new Event();
    event.set();
    const error = await cancelScope(scope, async (inner) => {
      inner.cancel("stop");
      return event.wait(inner).catch((caught: unknown) => caught);
    });
    expect(CancelledError.is(error)).toBe(true);
    expect((error as CancelledError).reason).toBe("stop");
  });

  it("stops waiting when the scope's deadline passes, and a later set() still wakes the others", async ({
    clock,
    scope,
  }) => {
    const event = new Event();
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        const value = await moveOnAfter(s, 5, (inner) => event.wait(inner).then(() => "woken"));
        log.push(`timed ${String(value)} at ${clock.now()}`);
      });
      group.spawn(async (s) => {
        await event.wait(s);
        log.push(`other at ${clock.now()}`);
      });
      clock.setTimer(10, () => event.set());
    });
    expect(log).toEqual(["timed undefined at 5", "other at 10"]);
  });

  it("marks the waiting task blocked on Event.wait", async ({ scope }) => {
    const event = new Event();
    const labels = await taskGroup(scope, async (group) => {
      const task = group.spawn((s) => event.wait(s));
      await waitAllTasksBlocked(scope);
      const seen = [...task.blockedOn];
      event.set();
      return seen;
    });
    expect(labels).toEqual(["Event.wait"]);
  });

  it("rejects with the signal's reason when a plain signal aborts", async () => {
    const event = new Event();
    const controller = new AbortController();
    const waiting = event.wait({ signal: controller.signal });
    controller.abort("gone");
    await expect(waiting).rejects.toBe("gone");
    event.set();
    await expect(event.wait({ signal: controller.signal })).rejects.toBe("gone");
  });
});
