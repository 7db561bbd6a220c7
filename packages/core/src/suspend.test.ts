import { trackListeners, waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { describe, expect } from "vitest";
import {
  type CancelledError,
  cancelScope,
  type Scope,
  suspend,
  taskGroup,
  type Waiter,
} from "./index.ts";

describe("suspend", () => {
  it("resolves with the value the primitive hands to the waiter", async ({ scope }) => {
    const value = await suspend<string>(scope, "test", (waiter) => {
      queueMicrotask(() => waiter.resolve("handed"));
    });
    expect(value).toBe("handed");
  });

  it("marks the scope's task blocked on the label until the wait ends", async ({ scope }) => {
    const states = await taskGroup(scope, async (group) => {
      let release: Waiter<void> | undefined;
      const task = group.spawn((s) =>
        suspend<void>(s, "Gate.wait", (waiter) => {
          release = waiter;
        }),
      );
      await waitAllTasksBlocked(scope);
      const during = [task.state, [...task.blockedOn]];
      release?.resolve();
      await task.result;
      return [during, task.state];
    });
    expect(states).toEqual([["blocked", ["Gate.wait"]], "done"]);
  });

  it("rejects at once without registering when the scope is already cancelled", async ({
    scope,
  }) => {
    let registered = false;
    const error = await cancelScope(scope, async (s) => {
      s.cancel("early");
      return suspend(s, "x", () => {
        registered = true;
      }).catch((caught: unknown) => caught);
    });
    expect(registered).toBe(false);
    expect((error as CancelledError).reason).toBe("early");
  });

  it("runs the unregister function synchronously on cancellation, then rejects; resolve afterwards returns false", async ({
    scope,
  }) => {
    const log: string[] = [];
    await cancelScope(scope, async (s) => {
      let handle: Waiter<number> | undefined;
      const waiting = suspend<number>(s, "x", (waiter) => {
        handle = waiter;
        return () => log.push("unregistered");
      });
      s.cancel();
      log.push(`settled=${handle?.settled}`);
      log.push(`resolve=${handle?.resolve(1)}`);
      await waiting.catch((error: unknown) => log.push((error as Error).name));
    });
    expect(log).toEqual(["unregistered", "settled=true", "resolve=false", "CancelledError"]);
  });

  it("never runs the unregister function when the wait completes normally", async ({ scope }) => {
    let unregistered = 0;
    await suspend<void>(scope, "x", (waiter) => {
      waiter.resolve();
      return () => unregistered++;
    });
    expect(unregistered).toBe(0);
  });

  it("rejects with the register function's error", async ({ scope }) => {
    const boom = new Error("register");
    await expect(
      suspend(scope, "x", () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });

  it("follows plain AbortSignal semantics for { signal }: rejects with the reason and removes its listener", async () => {
    const controller = new AbortController();
    const signal = controller.signal;
    const listeners = trackListeners(signal);

    let handle: Waiter<string> | undefined;
    const done = suspend<string>({ signal }, "x", (waiter) => {
      handle = waiter;
    });
    handle?.resolve("ok");
    expect(await done).toBe("ok");
    expect(listeners.count).toBe(0);

    let unregistered = false;
    const aborted = suspend({ signal }, "x", () => () => {
      unregistered = true;
    });
    controller.abort("reason");
    await expect(aborted).rejects.toBe("reason");
    expect(unregistered).toBe(true);
    expect(listeners.count).toBe(0);
    await expect(suspend({ signal }, "x", () => {})).rejects.toBe("reason");
  });

  it("lets a due deadline win over a resolve at the same instant", async ({ clock, scope }) => {
    const value = await cancelScope(
      scope,
      async (s: Scope) => {
        let handle: Waiter<string> | undefined;
        const waiting = suspend<string>(s, "x", (waiter) => {
          handle = waiter;
        });
        clock.setTimer(10, () => handle?.resolve("woke"));
        return waiting;
      },
      { deadline: 10 },
    );
    expect(value).toBeUndefined();
  });

  it("rejects waits on a scope that has exited", async ({ scope }) => {
    let saved: Scope | undefined;
    await cancelScope(scope, async (s) => {
      saved = s;
    });
    await expect(suspend(saved, "late", () => {})).rejects.toThrow(
      'late: scope "cancelScope" has already exited; work that outlives its scope would leak',
    );
  });

  it("throws a TypeError for a bad label or register, synchronously", () => {
    expect(() => suspend(undefined, 5 as never, () => {})).toThrow(
      new TypeError("Expected `label` to be a string, got `5` (number)"),
    );
    expect(() => suspend(undefined, "x", null as never)).toThrow(
      new TypeError("Expected `register` to be a function, got `null`"),
    );
  });
});
