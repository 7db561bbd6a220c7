import { CancelledError, cancelScope, moveOnAt, taskGroup } from "@weft/core";
import { waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { Broadcast, ChannelClosedError } from "./index.ts";

describe("Broadcast", () => {
  it("delivers every item published after subscribing to every subscription, in order", async ({
    scope,
  }) => {
    const broadcast = new Broadcast<number>({ capacity: 10 });
    const early = broadcast.subscribe();
    await broadcast.publish(1, scope);
    const late = broadcast.subscribe();
    await broadcast.publish(2, scope);
    await broadcast.publish(3, scope);
    broadcast.close();
    const seen: Record<string, number[]> = { early: [], late: [] };
    for await (const n of early) seen.early?.push(n);
    for await (const n of late.iterate(scope)) seen.late?.push(n);
    expect(seen).toEqual({ early: [1, 2, 3], late: [2, 3] });
  });

  it("holds back publish while a subscription's buffer is full", async ({ clock, scope }) => {
    const broadcast = new Broadcast<number>({ capacity: 1 });
    const fast = broadcast.subscribe();
    const slow = broadcast.subscribe();
    const publishedAt: number[] = [];
    const received: number[] = [];
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        for (const n of [1, 2, 3]) {
          await broadcast.publish(n, s);
          publishedAt.push(clock.now());
        }
        broadcast.close();
      });
      group.spawn(async (s) => {
        for await (const n of fast.iterate(s)) received.push(n);
      });
      for await (const n of slow.iterate(scope)) {
        await sleep(10, scope);
        received.push(n * 10);
      }
    });
    expect(publishedAt).toEqual([0, 0, 10]);
    expect(received.filter((n) => n < 10)).toEqual([1, 2, 3]);
    expect(received.filter((n) => n >= 10)).toEqual([10, 20, 30]);
  });

  it("stops holding back publish once a slow subscription closes", async ({ scope }) => {
    const broadcast = new Broadcast<number>({ capacity: 1 });
    const slow = broadcast.subscribe();
    await broadcast.publish(1, scope);
    await taskGroup(scope, async (group) => {
      const publishing = group.spawn((s) => broadcast.publish(2, s));
      await waitAllTasksBlocked(scope);
      expect(publishing.done).toBe(false);
      slow.close();
      await publishing.result;
    });
    expect(await slow.receive(scope)).toBe(1);
    await expect(slow.receive(scope)).rejects.toThrow(new ChannelClosedError());
  });

  it("publishes nothing when a waiting publish is cancelled", async ({ scope }) => {
    const broadcast = new Broadcast<number>({ capacity: 1 });
    const subscription = broadcast.subscribe();
    await broadcast.publish(1, scope);
    await taskGroup(scope, async (group) => {
      const publishing = group.spawn((s) => broadcast.publish(2, s));
      await waitAllTasksBlocked(scope);
      publishing.cancel();
      await expect(publishing.result).rejects.toSatisfy(CancelledError.is);
    });
    expect(await subscription.receive(scope)).toBe(1);
    expect(subscription.size).toBe(0);
    const error = await cancelScope(scope, async (inner) => {
      inner.cancel();
      return broadcast.publish(3, inner).catch((caught: unknown) => caught);
    });
    expect(CancelledError.is(error)).toBe(true);
    expect(subscription.size).toBe(0);
  });

  it("rejects waiting and later publishes with ChannelClosedError on close", async ({ scope }) => {
    const broadcast = new Broadcast<number>({ capacity: 1 });
    broadcast.subscribe();
    await broadcast.publish(1, scope);
    const waiting = broadcast.publish(2, scope);
    broadcast.close();
    await expect(waiting).rejects.toSatisfy(ChannelClosedError.is);
    await expect(broadcast.publish(3, scope)).rejects.toSatisfy(ChannelClosedError.is);
    expect(broadcast.subscribe().closed).toBe(true);
  });

  it("passes the close error to subscribers", async ({ scope }) => {
    const boom = new Error("boom");
    const broadcast = new Broadcast<number>({ capacity: 1 });
    const subscription = broadcast.subscribe();
    broadcast.close(boom);
    await expect(subscription.receive(scope)).rejects.toBe(boom);
    await expect(broadcast.subscribe().receive(scope)).rejects.toBe(boom);
  });

  it("rejects a bad capacity", () => {
    expect(() => new Broadcast({ capacity: 0 })).toThrow(
      new RangeError("Expected `capacity` to be a positive integer or Infinity, got `0` (number)"),
    );
    expect(() => new Broadcast(undefined as unknown as { capacity: number })).toThrow(
      new TypeError("Expected `options` to be an object, got `undefined`"),
    );
  });
});

describe("Broadcast onUndelivered", () => {
  it("gets each item once per subscription that held it when the broadcast closes with an error", async ({
    scope,
  }) => {
    const undelivered: string[] = [];
    const news = new Broadcast<string>({
      capacity: 2,
      onUndelivered: (item) => undelivered.push(item),
    });
    const a = news.subscribe();
    const b = news.subscribe();
    await news.publish("x", scope);
    await news.publish("y", scope);
    expect(await a.receive(scope)).toBe("x");
    news.close(new Error("gone"));
    expect(undelivered).toEqual(["y", "x", "y"]);
    expect([a.size, b.size]).toEqual([0, 0]);
  });

  it("is not called on a plain close, nor for what an unsubscribed subscription still buffers", async ({
    scope,
  }) => {
    const undelivered: string[] = [];
    const news = new Broadcast<string>({
      capacity: 2,
      onUndelivered: (item) => undelivered.push(item),
    });
    const a = news.subscribe();
    const b = news.subscribe();
    await news.publish("x", scope);
    a.close();
    news.close();
    expect(undelivered).toEqual([]);
    expect([await a.receive(scope), await b.receive(scope)]).toEqual(["x", "x"]);
  });

  it("gets the item of every subscription when a receiver cancelled as it is handed the item closes the broadcast with an error", async ({
    clock,
    scope,
  }) => {
    const undelivered: string[] = [];
    const news = new Broadcast<string>({
      capacity: 1,
      onUndelivered: (item) => undelivered.push(item),
    });
    const first = news.subscribe();
    const second = news.subscribe();
    const at = clock.now() + 10;
    let published: Promise<void> | undefined;
    clock.setTimer(at, () => {
      published = news.publish("x");
    });
    const received = await moveOnAt(scope, at, (s) => {
      s.signal.addEventListener("abort", () => news.close(new Error("gone")));
      return first.receive(s);
    });
    expect(received).toBeUndefined();
    await expect(published).resolves.toBeUndefined();
    expect(undelivered).toEqual(["x", "x"]);
    expect([first.size, second.size]).toEqual([0, 0]);
  });

  it("rejects an onUndelivered that is not a function", () => {
    expect(
      () => new Broadcast({ capacity: 1, onUndelivered: "no" as unknown as () => void }),
    ).toThrow(new TypeError('Expected `onUndelivered` to be a function, got `"no"` (string)'));
  });
});
