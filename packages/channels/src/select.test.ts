import { CancelledError, cancelScope, taskGroup } from "@weft/core";
import { waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { describe, expect, expectTypeOf } from "vitest";
import { Channel, ChannelClosedError, onReceive, onSend, select, trySelect } from "./index.ts";

describe("select", () => {
  it("commits exactly one case when two are ready: only one channel loses an item", async ({
    scope,
  }) => {
    for (let round = 0; round < 50; round++) {
      const a = new Channel<number>(1);
      const b = new Channel<string>(1);
      a.trySend(1);
      b.trySend("b");
      const result = await select(scope, { a: onReceive(a), b: onReceive(b) });
      expect(a.size + b.size).toBe(1);
      expect(result).toEqual(
        result.key === "a" ? { key: "a", value: 1 } : { key: "b", value: "b" },
      );
    }
  });

  it("types the result from the cases", async ({ scope }) => {
    const numbers = new Channel<number>(1);
    const words = new Channel<string>(1);
    numbers.trySend(1);
    const result = await select(scope, { n: onReceive(numbers), w: onSend(words, "x") });
    expectTypeOf(result).toEqualTypeOf<
      | { readonly key: "n"; readonly value: number }
      | { readonly key: "w"; readonly value: undefined }
    >();
  });

  it("chooses fairly among always-ready cases", async ({ scope }) => {
    const a = new Channel<number>(Number.POSITIVE_INFINITY);
    const b = new Channel<number>(Number.POSITIVE_INFINITY);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 1000; i++) {
      a.trySend(i);
      b.trySend(i);
      const { key } = await select(scope, { a: onReceive(a), b: onReceive(b) });
      counts[key]++;
    }
    expect(counts.a).toBeGreaterThan(300);
    expect(counts.b).toBeGreaterThan(300);
    expect(counts.a + counts.b).toBe(1000);
  });

  it("replays the same choices under the same harness seed, and fairly", async () => {
    const { fakeTime } = await import("@weft/testing");
    const choices = (seed: number) =>
      fakeTime(
        async ({ scope }) => {
          const a = new Channel<number>(Number.POSITIVE_INFINITY);
          const b = new Channel<number>(Number.POSITIVE_INFINITY);
          const keys: string[] = [];
          for (let i = 0; i < 200; i++) {
            a.trySend(i);
            b.trySend(i);
            keys.push((await select(scope, { a: onReceive(a), b: onReceive(b) })).key);
          }
          return keys.join("");
        },
        { seed },
      );
    const first = await choices(7);
    expect(await choices(7)).toBe(first);
    expect(await choices(8)).not.toBe(first);
    const as = [...first].filter((key) => key === "a").length;
    expect(as).toBeGreaterThan(60);
    expect(as).toBeLessThan(140);
  });

  it("takes the first ready case in key order when biased", async ({ scope }) => {
    const a = new Channel<number>(Number.POSITIVE_INFINITY);
    const b = new Channel<number>(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 20; i++) {
      a.trySend(i);
      b.trySend(i);
      const { key } = await select(scope, { b: onReceive(b), a: onReceive(a) }, { biased: true });
      expect(key).toBe("b");
    }
    expect(a.size).toBe(20);
  });

  it("waits for the first case to become ready and leaves the other channels untouched", async ({
    scope,
  }) => {
    const a = new Channel<number>();
    const b = new Channel<number>();
    const out = new Channel<string>();
    await taskGroup(scope, async (group) => {
      const selecting = group.spawn((s) =>
        select(s, { a: onReceive(a), b: onReceive(b), out: onSend(out, "x") }),
      );
      await waitAllTasksBlocked(scope);
      expect([a, b, out].map((c) => c.stats().waitingReceivers + c.stats().waitingSenders)).toEqual(
        [1, 1, 1],
      );
      await b.send(2, scope);
      expect(await selecting.result).toEqual({ key: "b", value: 2 });
      expect([a, b, out].map((c) => c.stats().waitingReceivers + c.stats().waitingSenders)).toEqual(
        [0, 0, 0],
      );
      expect(a.trySend(1)).toBe(false);
      expect(out.tryReceive()).toEqual({ ok: false });
    });
  });

  it("commits only the first of two cases that become ready in the same turn", async ({
    scope,
  }) => {
    const a = new Channel<number>();
    const b = new Channel<number>();
    await taskGroup(scope, async (group) => {
      const selecting = group.spawn((s) => select(s, { a: onReceive(a), b: onReceive(b) }));
      await waitAllTasksBlocked(scope);
      expect([a.trySend(1), b.trySend(2)]).toEqual([true, false]);
      expect(await selecting.result).toEqual({ key: "a", value: 1 });
    });
    expect(b.stats().waitingReceivers).toBe(0);
  });

  it("commits exactly one of two ready send cases", async ({ scope }) => {
    for (let round = 0; round < 20; round++) {
      const a = new Channel<number>(1);
      const b = new Channel<number>(1);
      const { key } = await select(scope, { a: onSend(a, 1), b: onSend(b, 2) });
      expect([a.size, b.size]).toEqual(key === "a" ? [1, 0] : [0, 1]);
    }
  });

  it("commits a send case to a receiver that arrives later", async ({ scope }) => {
    const out = new Channel<string>();
    await taskGroup(scope, async (group) => {
      const selecting = group.spawn((s) => select(s, { out: onSend(out, "hello") }));
      await waitAllTasksBlocked(scope);
      expect(await out.receive(scope)).toBe("hello");
      expect(await selecting.result).toEqual({ key: "out", value: undefined });
    });
  });

  it("lets only one of two parked selects take a single item", async ({ scope }) => {
    const a = new Channel<number>();
    const results: unknown[] = [];
    await taskGroup(scope, async (group) => {
      for (let i = 0; i < 2; i++) {
        group.spawn(async (s) => results.push(await select(s, { a: onReceive(a) })));
      }
      await waitAllTasksBlocked(scope);
      await a.send(1, scope);
      await waitAllTasksBlocked(scope);
      expect(results).toEqual([{ key: "a", value: 1 }]);
      expect(a.stats().waitingReceivers).toBe(1);
      group.cancel();
    });
  });

  it("rejects with a cancelled scope even when a case is ready, committing nothing", async ({
    scope,
  }) => {
    const a = new Channel<number>(1);
    a.trySend(1);
    const error = await cancelScope(scope, async (inner) => {
      inner.cancel();
      return select(inner, { a: onReceive(a) }).catch((caught: unknown) => caught);
    });
    expect(CancelledError.is(error)).toBe(true);
    expect(a.size).toBe(1);
  });

  it("unregisters every case when cancelled while waiting", async ({ scope }) => {
    const a = new Channel<number>();
    const b = new Channel<number>(1);
    b.trySend(0);
    await taskGroup(scope, async (group) => {
      const selecting = group.spawn((s) => select(s, { a: onReceive(a), b: onSend(b, 1) }));
      await waitAllTasksBlocked(scope);
      selecting.cancel();
      await expect(selecting.result).rejects.toSatisfy(CancelledError.is);
    });
    expect(a.stats().waitingReceivers).toBe(0);
    expect(b.stats().waitingSenders).toBe(0);
    expect(b.tryReceive()).toEqual({ ok: true, value: 0 });
    expect(b.tryReceive()).toEqual({ ok: false });
  });

  it("rejects with the close error of a closed channel's receive case", async ({ scope }) => {
    const boom = new Error("boom");
    const a = new Channel<number>();
    const b = new Channel<number>();
    b.close();
    await expect(select(scope, { b: onReceive(b) })).rejects.toThrow(new ChannelClosedError());
    const pending = select(scope, { a: onReceive(a) });
    a.close(boom);
    await expect(pending).rejects.toBe(boom);
  });

  it("rejects with ChannelClosedError when a send case's channel closes", async ({ scope }) => {
    const a = new Channel<number>();
    const pending = select(scope, { a: onSend(a, 1) });
    a.close();
    await expect(pending).rejects.toThrow(new ChannelClosedError());
  });

  it("rejects bad cases and options with TypeError", ({ scope }) => {
    expect(() => select(scope, { a: 1 as never })).toThrow(
      new TypeError(
        "Expected `cases.a` to be a case made by onReceive or onSend, got `1` (number)",
      ),
    );
    expect(() => select(scope, {})).toThrow(
      new TypeError("Expected `cases` to be an object with at least one case, got `{}` (object)"),
    );
    expect(() =>
      select(scope, { a: onReceive(new Channel()) }, { biased: 1 as unknown as boolean }),
    ).toThrow(new TypeError("Expected `options.biased` to be a boolean, got `1` (number)"));
    expect(() => onReceive({} as Channel<number>)).toThrow(
      new TypeError("Expected `channel` to be a Channel, got `{}` (object)"),
    );
    expect(() => onSend(null as unknown as Channel<number>, 1)).toThrow(
      new TypeError("Expected `channel` to be a Channel, got `null`"),
    );
  });
});

describe("trySelect", () => {
  it("commits a ready case now, or returns undefined", () => {
    const a = new Channel<number>(1);
    const b = new Channel<number>(1);
    expect(trySelect({ a: onReceive(a) })).toBeUndefined();
    expect(trySelect({ a: onReceive(a), b: onSend(b, 5) })).toEqual({ key: "b", value: undefined });
    expect(trySelect({ a: onReceive(a), b: onReceive(b) })).toEqual({ key: "b", value: 5 });
    expect(trySelect({ a: onReceive(a), b: onReceive(b) })).toBeUndefined();
  });

  it("throws the close error of a chosen closed channel", () => {
    const a = new Channel<number>();
    a.close();
    expect(() => trySelect({ a: onReceive(a) })).toThrow(new ChannelClosedError());
  });
});
