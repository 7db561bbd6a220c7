import { CancelledError, moveOnAt, type Scope, taskGroup } from "@weft/core";
import { waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { sleepForever } from "@weft/timers";
import { describe, expect, vi } from "vitest";
import { Channel, ChannelClosedError, type ChannelOptions, onSend, select } from "./index.ts";

// Every path by which a channel takes an item from a sender and never hands it to a receiver
// reaches onUndelivered exactly once; every other path (a cancelled send keeps its item) does not.
// "At the same instant" is a timer registered before a scope's deadline and due with it: the timer
// fires first, and the deadline, due by then, wins over the hand-off it starts.

/** Calls `queueMicrotask` callbacks at once while `body` runs, collecting what they throw. */
function catchReports(body: () => void): unknown[] {
  const reported: unknown[] = [];
  const spy = vi.spyOn(globalThis, "queueMicrotask").mockImplementation((callback) => {
    try {
      callback();
    } catch (error) {
      reported.push(error);
    }
  });
  try {
    body();
  } finally {
    spy.mockRestore();
  }
  return reported;
}

/** A channel whose onUndelivered records each item it gets. */
function recorded<T>(options: Omit<ChannelOptions<T>, "onUndelivered">): {
  channel: Channel<T>;
  undelivered: T[];
} {
  const undelivered: T[] = [];
  const channel = new Channel<T>({ ...options, onUndelivered: (item) => undelivered.push(item) });
  return { channel, undelivered };
}

describe("Channel onUndelivered", () => {
  it("drops the incoming item with overflow drop-newest, reporting it to onUndelivered", async ({
    scope,
  }) => {
    const { channel, undelivered: dropped } = recorded<number>({
      capacity: 2,
      overflow: "drop-newest",
    });
    for (const n of [1, 2, 3, 4]) await channel.send(n, scope);
    expect(channel.trySend(5)).toBe(true);
    expect(dropped).toEqual([3, 4, 5]);
    expect([channel.tryReceive(), channel.tryReceive(), channel.tryReceive()]).toEqual([
      { ok: true, value: 1 },
      { ok: true, value: 2 },
      { ok: false },
    ]);
  });

  it("evicts the oldest buffered item with overflow drop-oldest, reporting it to onUndelivered", async ({
    scope,
  }) => {
    const { channel, undelivered: dropped } = recorded<number>({
      capacity: 2,
      overflow: "drop-oldest",
    });
    for (const n of [1, 2, 3, 4]) await channel.send(n, scope);
    expect(dropped).toEqual([1, 2]);
    expect(await channel.receive(scope)).toBe(3);
    expect(await channel.receive(scope)).toBe(4);
  });

  it("reports an error thrown by onUndelivered for a dropped newest item and keeps working", async ({
    scope,
  }) => {
    const boom = new Error("boom");
    const channel = new Channel<number>({
      capacity: 1,
      overflow: "drop-newest",
      onUndelivered: () => {
        throw boom;
      },
    });
    const reported = catchReports(() => {
      channel.trySend(1);
      channel.trySend(2);
    });
    expect(reported).toEqual([boom]);
    expect(channel.size).toBe(1);
    expect(await channel.receive(scope)).toBe(1);
  });

  it("discards buffered items into onUndelivered on close(error)", async ({ scope }) => {
    const boom = new Error("boom");
    const { channel, undelivered } = recorded<number>({
      capacity: 3,
    });
    channel.trySend(1);
    channel.trySend(2);
    channel.close(boom);
    expect(undelivered).toEqual([1, 2]);
    expect(channel.size).toBe(0);
    await expect(channel.receive(scope)).rejects.toBe(boom);
  });

  it("is not called for a cancelled send: the sender keeps its item", async ({ scope }) => {
    const { channel, undelivered } = recorded<number>({});
    await taskGroup(scope, async (group) => {
      const send = group.spawn((s) => channel.send(1, s));
      await waitAllTasksBlocked(scope);
      send.cancel();
      await expect(send.result).rejects.toBeInstanceOf(CancelledError);
    });
    expect(undelivered).toEqual([]);
    expect(channel.stats().waitingSenders).toBe(0);
  });

  it("is not called for senders blocked when the channel closes, with or without an error", async ({
    scope,
  }) => {
    const undelivered: number[] = [];
    for (const error of [undefined, new Error("boom")]) {
      const channel = new Channel<number>({
        capacity: 1,
        onUndelivered: (item) => undelivered.push(item),
      });
      channel.trySend(1);
      const blocked = channel.send(2, scope).catch((reason: unknown) => reason);
      channel.close(error);
      expect(ChannelClosedError.is(await blocked)).toBe(true);
    }
    // Only the buffered 1 of the channel closed with an error.
    expect(undelivered).toEqual([1]);
  });

  it("delivers nothing from a send whose deadline falls due as a receiver takes it", async ({
    clock,
    scope,
  }) => {
    const { channel, undelivered } = recorded<number>({});
    const at = clock.now() + 10;
    let taken: unknown;
    clock.setTimer(at, () => {
      taken = channel.tryReceive();
    });
    const outcome = await moveOnAt(scope, at, async (s) => {
      await channel.send(1, s);
      return "sent";
    });
    expect(outcome).toBeUndefined();
    expect(taken).toEqual({ ok: false });
    expect(channel.stats()).toMatchObject({ size: 0, waitingSenders: 0 });
    expect(undelivered).toEqual([]);
  });

  it("keeps the item of a send handed to a receiver cancelled at that instant for the next one", async ({
    clock,
    scope,
  }) => {
    const { channel, undelivered } = recorded<number>({});
    const at = clock.now() + 10;
    let sent: boolean | undefined;
    clock.setTimer(at, () => {
      sent = channel.trySend(1);
    });
    expect(await moveOnAt(scope, at, (s) => channel.receive(s))).toBeUndefined();
    expect(sent).toBe(true);
    expect(channel.tryReceive()).toEqual({ ok: true, value: 1 });
    expect(undelivered).toEqual([]);
  });

  it("receives the item mid-handoff when the cancelled receiver's abort listener closes the channel with an error", async ({
    clock,
    scope,
  }) => {
    const boom = new Error("boom");
    const { channel, undelivered } = recorded<number>({});
    const at = clock.now() + 10;
    let sent: boolean | undefined;
    clock.setTimer(at, () => {
      sent = channel.trySend(1);
    });
    const received = await moveOnAt(scope, at, (s) => {
      s.signal.addEventListener("abort", () => channel.close(boom));
      return channel.receive(s);
    });
    expect(received).toBeUndefined();
    expect(sent).toBe(true);
    expect(undelivered).toEqual([1]);
    expect(channel.tryReceive()).toEqual({ ok: false });
    await expect(channel.receive(scope)).rejects.toBe(boom);
  });

  it("receives a blocked sender's item taken by a receive cancelled as it took it, once the channel closed with an error", async ({
    clock,
    scope,
  }) => {
    const boom = new Error("boom");
    const { channel, undelivered } = recorded<number>({});
    const at = clock.now() + 10;
    let receiverScope: Scope | undefined;
    let attempt: Promise<unknown> | undefined;
    clock.setTimer(at, () => {
      attempt = channel.receive(receiverScope).catch((error: unknown) => error);
    });
    await taskGroup(scope, async (group) => {
      const send = group.spawn((s) => channel.send(1, s));
      await moveOnAt(scope, at, (s) => {
        receiverScope = s;
        s.signal.addEventListener("abort", () => channel.close(boom));
        return sleepForever(s);
      });
      // The sender completed: the channel took its item, and could hand it to nobody.
      await expect(send.result).resolves.toBeUndefined();
    });
    expect(await attempt).toBeInstanceOf(CancelledError);
    expect(undelivered).toEqual([1]);
    expect(channel.size).toBe(0);
  });

  it("delivers nothing from a select send case whose deadline falls due as a receiver arrives", async ({
    clock,
    scope,
  }) => {
    const { channel, undelivered } = recorded<number>({});
    const other = new Channel<number>();
    const at = clock.now() + 10;
    let taken: unknown;
    clock.setTimer(at, () => {
      taken = channel.tryReceive();
    });
    const outcome = await moveOnAt(scope, at, (s) =>
      select(s, { a: onSend(channel, 1), b: onSend(other, 2) }),
    );
    expect(outcome).toBeUndefined();
    expect(taken).toEqual({ ok: false });
    expect([channel.stats().waitingSenders, other.stats().waitingSenders]).toEqual([0, 0]);
    expect(undelivered).toEqual([]);
  });

  it("reports each error a throwing onUndelivered raises and still passes it every item", async ({
    scope,
  }) => {
    const seen: number[] = [];
    const boom = new Error("boom");
    const channel = new Channel<number>({
      capacity: 3,
      onUndelivered: (item) => {
        seen.push(item);
        throw new Error(`cannot release ${item}`);
      },
    });
    for (const n of [1, 2, 3]) channel.trySend(n);
    const reported = catchReports(() => channel.close(boom));
    expect(seen).toEqual([1, 2, 3]);
    expect(reported.map((error) => (error as Error).message)).toEqual([
      "cannot release 1",
      "cannot release 2",
      "cannot release 3",
    ]);
    expect(channel.stats()).toMatchObject({ size: 0, waitingSenders: 0, waitingReceivers: 0 });
    expect(channel.closed).toBe(true);
    await expect(channel.receive(scope)).rejects.toBe(boom);
  });

  it("keeps a drop-oldest channel's order and size when onUndelivered throws", () => {
    const channel = new Channel<number>({
      capacity: 2,
      overflow: "drop-oldest",
      onUndelivered: (item) => {
        throw new Error(`dropped ${item}`);
      },
    });
    const reported = catchReports(() => {
      for (const n of [1, 2, 3, 4]) expect(channel.trySend(n)).toBe(true);
    });
    expect(reported.map((error) => (error as Error).message)).toEqual(["dropped 1", "dropped 2"]);
    expect([channel.tryReceive(), channel.tryReceive(), channel.tryReceive()]).toEqual([
      { ok: true, value: 3 },
      { ok: true, value: 4 },
      { ok: false },
    ]);
  });
});
