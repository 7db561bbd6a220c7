import { CancelledError, cancelScope, moveOnAt, type Scope, taskGroup } from "@weft/core";
import { waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { sleepForever } from "@weft/timers";
import { describe, expect } from "vitest";
import { Channel } from "./index.ts";

// A send or receive that can complete at once (a waiting partner, room in the buffer, a buffered
// item) takes a path without a wait. It is still a checkpoint, and a deadline due at that instant
// still wins over it.

describe("Channel operations that are ready at once", () => {
  it("complete without blocking the caller, in FIFO order", async ({ scope }) => {
    const channel = new Channel<number>(2);
    await channel.send(1, scope);
    await channel.send(2);
    expect(channel.size).toBe(2);
    expect([await channel.receive(scope), await channel.receive()]).toEqual([1, 2]);
  });

  it("reject a ready send from a cancelled scope and leave the waiting receiver waiting", async ({
    scope,
  }) => {
    const channel = new Channel<number>();
    await taskGroup(scope, async (group) => {
      const receiver = group.spawn((s) => channel.receive(s));
      await waitAllTasksBlocked(scope);
      const error = await cancelScope(scope, async (inner) => {
        inner.cancel();
        return channel.send(1, inner).catch((caught: unknown) => caught);
      });
      expect(CancelledError.is(error)).toBe(true);
      expect(channel.stats().waitingReceivers).toBe(1);
      await channel.send(2, scope);
      expect(await receiver.result).toBe(2);
    });
  });

  it("reject a ready receive from a cancelled scope and leave the waiting sender waiting", async ({
    scope,
  }) => {
    const channel = new Channel<number>();
    await taskGroup(scope, async (group) => {
      const sender = group.spawn((s) => channel.send(1, s));
      await waitAllTasksBlocked(scope);
      const error = await cancelScope(scope, async (inner) => {
        inner.cancel();
        return channel.receive(inner).catch((caught: unknown) => caught);
      });
      expect(CancelledError.is(error)).toBe(true);
      expect(channel.stats().waitingSenders).toBe(1);
      expect(await channel.receive(scope)).toBe(1);
      await sender.result;
    });
  });

  it("reject a ready send and receive through a scope that has exited", async ({ scope }) => {
    const channel = new Channel<number>(1);
    channel.trySend(1);
    let exited: Scope | undefined;
    await cancelScope(scope, async (inner) => {
      exited = inner;
    });
    const message = (label: string) =>
      `${label}: scope "cancelScope" has already exited; work that outlives its scope would leak`;
    await expect(channel.receive(exited)).rejects.toThrow(message("Channel.receive"));
    await expect(new Channel<number>(1).send(2, exited)).rejects.toThrow(message("Channel.send"));
    expect(channel.tryReceive()).toEqual({ ok: true, value: 1 });
  });

  it("lose to a deadline due at the same instant: the send delivers nothing", async ({
    clock,
    scope,
  }) => {
    const channel = new Channel<number>(1);
    const at = clock.now() + 10;
    let sender: Scope | undefined;
    let attempt: Promise<unknown> | undefined;
    // Registered before the scope's deadline timer, so it runs first at `at`.
    clock.setTimer(at, () => {
      attempt = channel.send(1, sender).catch((error: unknown) => error);
    });
    await moveOnAt(scope, at, (s) => {
      sender = s;
      return sleepForever(s);
    });
    expect(CancelledError.is(await attempt)).toBe(true);
    expect(channel.size).toBe(0);
  });

  it("lose to a deadline due at the same instant: the receive consumes nothing", async ({
    clock,
    scope,
  }) => {
    const channel = new Channel<number>(1);
    channel.trySend(1);
    const at = clock.now() + 10;
    let receiver: Scope | undefined;
    let attempt: Promise<unknown> | undefined;
    clock.setTimer(at, () => {
      attempt = channel.receive(receiver).catch((error: unknown) => error);
    });
    await moveOnAt(scope, at, (s) => {
      receiver = s;
      return sleepForever(s);
    });
    expect(CancelledError.is(await attempt)).toBe(true);
    expect(channel.tryReceive()).toEqual({ ok: true, value: 1 });
  });

  it("take a ready item through a plain signal too", async () => {
    const channel = new Channel<string>(1);
    const controller = new AbortController();
    await channel.send("x", { signal: controller.signal });
    expect(await channel.receive({ signal: controller.signal })).toBe("x");
    controller.abort("stop");
    channel.trySend("y");
    await expect(channel.receive({ signal: controller.signal })).rejects.toBe("stop");
    expect(channel.size).toBe(1);
  });
});
