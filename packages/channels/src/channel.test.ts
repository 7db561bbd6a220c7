import { CancelledError, cancelScope, taskGroup } from "@weft/core";
import { waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { Channel, ChannelClosedError } from "./index.ts";

describe("Channel", () => {
  it("is a rendezvous channel by default: trySend fails without a waiting receiver", () => {
    const channel = new Channel<number>();
    expect(channel.capacity).toBe(0);
    expect(channel.trySend(1)).toBe(false);
    expect(channel.size).toBe(0);
  });

  it("hands a send straight to a waiting receiver", async ({ scope }) => {
    const channel = new Channel<string>();
    const received = channel.receive(scope);
    expect(channel.stats().waitingReceivers).toBe(1);
    expect(channel.trySend("x")).toBe(true);
    expect(channel.size).toBe(0);
    expect(await received).toBe("x");
  });

  it("blocks a rendezvous send until a receiver takes the item", async ({ scope }) => {
    const channel = new Channel<number>();
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        await channel.send(1, s);
        log.push("sent");
      });
      await waitAllTasksBlocked(scope);
      expect(channel.stats().waitingSenders).toBe(1);
      log.push("receiving");
      expect(await channel.receive(scope)).toBe(1);
    });
    expect(log).toEqual(["receiving", "sent"]);
  });

  it("keeps items, senders and receivers in FIFO order", async ({ scope }) => {
    const channel = new Channel<number>(2);
    const received: number[] = [];
    await taskGroup(scope, async (group) => {
      for (const n of [1, 2, 3, 4, 5]) group.spawn((s) => channel.send(n, s));
      await waitAllTasksBlocked(scope);
      expect(channel.stats()).toEqual({
        size: 2,
        capacity: 2,
        waitingSenders: 3,
        waitingReceivers: 0,
        peak: 2,
      });
      for (let i = 0; i < 5; i++) received.push(await channel.receive(scope));
    });
    expect(received).toEqual([1, 2, 3, 4, 5]);
  });

  it("serves blocked receivers in arrival order", async ({ scope }) => {
    const channel = new Channel<number>(Number.POSITIVE_INFINITY);
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      for (const name of ["a", "b", "c"]) {
        group.spawn(async (s) => log.push(`${name}${await channel.receive(s)}`));
      }
      await waitAllTasksBlocked(scope);
      for (const n of [1, 2, 3]) await channel.send(n, scope);
    });
    expect(log).toEqual(["a1", "b2", "c3"]);
  });

  it("applies back-pressure when the buffer is full", async ({ clock, scope }) => {
    const channel = new Channel<number>(1);
    const sentAt: number[] = [];
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        for (const n of [1, 2, 3]) {
          await channel.send(n, s);
          sentAt.push(clock.now());
        }
      });
      for (let i = 0; i < 3; i++) {
        await sleep(10, scope);
        await channel.receive(scope);
      }
    });
    expect(sentAt).toEqual([0, 10, 20]);
    expect(channel.stats().peak).toBe(1);
  });

  it("keeps buffered items receivable after a plain close, then rejects with ChannelClosedError", async ({
    scope,
  }) => {
    const channel = new Channel<number>(3);
    channel.trySend(1);
    channel.trySend(2);
    channel.close();
    channel.close();
    expect(channel.closed).toBe(true);
    expect(channel.trySend(3)).toBe(false);
    await expect(channel.send(3, scope)).rejects.toThrow(new ChannelClosedError());
    expect(await channel.receive(scope)).toBe(1);
    expect(await channel.receive(scope)).toBe(2);
    const error = await channel.receive(scope).catch((caught: unknown) => caught);
    expect(ChannelClosedError.is(error)).toBe(true);
    expect((error as Error).name).toBe("ChannelClosedError");
  });

  it("rejects blocked senders with ChannelClosedError on close, delivering nothing", async ({
    scope,
  }) => {
    const channel = new Channel<number>(1);
    channel.trySend(1);
    const blocked = channel.send(2, scope).catch((caught: unknown) => caught);
    channel.close();
    expect(ChannelClosedError.is(await blocked)).toBe(true);
    expect(channel.tryReceive()).toEqual({ ok: true, value: 1 });
    expect(channel.tryReceive()).toEqual({ ok: false });
  });

  it("rejects blocked receivers with the close error", async ({ scope }) => {
    const boom = new Error("boom");
    const channel = new Channel<number>();
    const blocked = channel.receive(scope).catch((caught: unknown) => caught);
    channel.close(boom);
    expect(await blocked).toBe(boom);
    await expect(channel.receive(scope)).rejects.toBe(boom);
  });

  it("ends for await on a plain close after the buffered items", async () => {
    const channel = new Channel<number>(3);
    for (const n of [1, 2, 3]) channel.trySend(n);
    channel.close();
    const received: number[] = [];
    for await (const n of channel) received.push(n);
    expect(received).toEqual([1, 2, 3]);
  });

  it("throws the close error from for await", async ({ scope }) => {
    const boom = new Error("boom");
    const channel = new Channel<number>(1);
    const received: number[] = [];
    const iterating = (async () => {
      for await (const n of channel.iterate(scope)) received.push(n);
    })();
    await channel.send(1, scope);
    channel.close(boom);
    await expect(iterating).rejects.toBe(boom);
    expect(received).toEqual([1]);
  });

  it("leaves the channel open and consumes nothing more when for await breaks", async () => {
    const channel = new Channel<number>(3);
    for (const n of [1, 2, 3]) channel.trySend(n);
    for await (const n of channel) {
      expect(n).toBe(1);
      break;
    }
    expect(channel.closed).toBe(false);
    expect(channel.size).toBe(2);
    expect(channel.tryReceive()).toEqual({ ok: true, value: 2 });
  });

  it("rejects send and receive with a cancelled scope even when they would not block", async ({
    scope,
  }) => {
    const channel = new Channel<number>(1);
    channel.trySend(1);
    const errors = await cancelScope(scope, async (inner) => {
      inner.cancel();
      return [
        await channel.receive(inner).catch((caught: unknown) => caught),
        await channel.send(2, inner).catch((caught: unknown) => caught),
      ];
    });
    expect(errors?.map((error) => CancelledError.is(error))).toEqual([true, true]);
    expect(channel.size).toBe(1);
    expect(channel.tryReceive()).toEqual({ ok: true, value: 1 });
  });

  it("delivers nothing from a cancelled send", async ({ scope }) => {
    const channel = new Channel<number>();
    await taskGroup(scope, async (group) => {
      const cancelled = group.spawn((s) => channel.send(1, s));
      group.spawn((s) => channel.send(2, s));
      await waitAllTasksBlocked(scope);
      cancelled.cancel();
      await waitAllTasksBlocked(scope);
      expect(channel.stats().waitingSenders).toBe(1);
      expect(await channel.receive(scope)).toBe(2);
    });
  });

  it("consumes nothing in a cancelled receive", async ({ scope }) => {
    const channel = new Channel<number>(1);
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      const cancelled = group.spawn(async (s) => log.push(`cancelled ${await channel.receive(s)}`));
      group.spawn(async (s) => log.push(`second ${await channel.receive(s)}`));
      await waitAllTasksBlocked(scope);
      cancelled.cancel();
      await channel.send(7, scope);
    });
    expect(log).toEqual(["second 7"]);
  });

  it("rejects a receive through an aborted signal with the signal's reason", async () => {
    const channel = new Channel<number>(1);
    const controller = new AbortController();
    const pending = channel.receive({ signal: controller.signal });
    controller.abort("stop");
    await expect(pending).rejects.toBe("stop");
    expect(channel.stats().waitingReceivers).toBe(0);
    channel.trySend(1);
    expect(channel.size).toBe(1);
  });

  it("tracks the buffer's peak in stats()", () => {
    const channel = new Channel<number>(Number.POSITIVE_INFINITY);
    for (const n of [1, 2, 3]) channel.trySend(n);
    channel.tryReceive();
    expect(channel.stats()).toEqual({
      size: 2,
      capacity: Number.POSITIVE_INFINITY,
      waitingSenders: 0,
      waitingReceivers: 0,
      peak: 3,
    });
  });

  it("rejects bad arguments with TypeError and RangeError", () => {
    expect(() => new Channel(-1)).toThrow(
      new RangeError(
        "Expected `capacity` to be a non-negative integer or Infinity, got `-1` (number)",
      ),
    );
    expect(() => new Channel(1.5)).toThrow(RangeError);
    expect(() => new Channel({ capacity: "2" as unknown as number })).toThrow(
      new TypeError(
        'Expected `capacity` to be a non-negative integer or Infinity, got `"2"` (string)',
      ),
    );
    expect(() => new Channel({ capacity: 0, overflow: "drop-oldest" })).toThrow(
      new RangeError(
        'Expected `overflow` to be "wait" on a rendezvous channel (capacity 0), got `"drop-oldest"` (string)',
      ),
    );
    expect(() => new Channel({ capacity: 1, overflow: "drop" as "wait" })).toThrow(
      new TypeError(
        'Expected `overflow` to be "wait", "drop-newest" or "drop-oldest", got `"drop"` (string)',
      ),
    );
    expect(() => new Channel({ onUndelivered: 1 as unknown as () => void })).toThrow(
      new TypeError("Expected `onUndelivered` to be a function, got `1` (number)"),
    );
  });
});

describe("ChannelClosedError", () => {
  it("is recognised by its brand", () => {
    const error = new ChannelClosedError();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ChannelClosedError");
    expect(error.message).toBe("The channel is closed");
    expect(ChannelClosedError.is(error)).toBe(true);
    expect(ChannelClosedError.is({ [Symbol.for("weft.ChannelClosedError")]: true })).toBe(true);
    expect(ChannelClosedError.is(new Error("x"))).toBe(false);
  });
});
