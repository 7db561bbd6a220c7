import { fc, it } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { Channel } from "./index.ts";

// Model-based test: random interleavings of send, receive (each through a signal of its own),
// trySend, tryReceive and cancellation of a pending send or receive, against a reference model of
// a FIFO channel. Nothing is lost, nothing is duplicated, items leave in send order, a cancelled
// send delivered nothing and a cancelled receive consumed nothing.

type Op =
  | { readonly kind: "send" }
  | { readonly kind: "receive" }
  | { readonly kind: "trySend" }
  | { readonly kind: "tryReceive" }
  | { readonly kind: "cancel"; readonly pick: number };

interface Pending {
  readonly id: number;
  readonly value: number;
}

interface Model {
  buffer: number[];
  senders: Pending[];
  receivers: number[];
  /** What each receive got, by receive id. */
  received: Map<number, number>;
  /** The ids of the sends that completed. */
  sent: Set<number>;
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constantFrom<Op>(
    { kind: "send" },
    { kind: "receive" },
    { kind: "trySend" },
    { kind: "tryReceive" },
  ),
  fc.nat(20).map((pick): Op => ({ kind: "cancel", pick })),
);

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** The model's send of item `id` (its value is `id` too); `false` if it would block. */
function modelSend(model: Model, capacity: number, id: number, wait: boolean): boolean {
  const receiver = model.receivers.shift();
  if (receiver !== undefined) model.received.set(receiver, id);
  else if (model.buffer.length < capacity) model.buffer.push(id);
  else {
    if (wait) model.senders.push({ id, value: id });
    return false;
  }
  model.sent.add(id);
  return true;
}

/** The model's receive number `id`; the item, or `undefined` if it would block. */
function modelReceive(model: Model, id: number, wait: boolean): number | undefined {
  let value: number | undefined = model.buffer.shift();
  if (value !== undefined) {
    const sender = model.senders.shift();
    if (sender !== undefined) {
      model.buffer.push(sender.value);
      model.sent.add(sender.id);
    }
  } else {
    const sender = model.senders.shift();
    if (sender !== undefined) {
      value = sender.value;
      model.sent.add(sender.id);
    }
  }
  if (value !== undefined) model.received.set(id, value);
  else if (wait) model.receivers.push(id);
  return value;
}

describe("Channel", () => {
  it.prop(
    [fc.constantFrom(0, 1, 2, 3, Number.POSITIVE_INFINITY), fc.array(opArb, { maxLength: 60 })],
    { numRuns: 300 },
  )(
    "loses nothing and keeps FIFO order under random sends, receives and cancellations",
    async (capacity, ops) => {
      const channel = new Channel<number>(capacity);
      const model: Model = {
        buffer: [],
        senders: [],
        receivers: [],
        received: new Map(),
        sent: new Set(),
      };
      const received = new Map<number, number>();
      const sent = new Set<number>();
      const cancels = new Map<string, () => void>();
      let nextId = 0;
      for (const op of ops) {
        const id = nextId++;
        if (op.kind === "send") {
          const controller = new AbortController();
          cancels.set(`send ${id}`, () => controller.abort());
          modelSend(model, capacity, id, true);
          channel.send(id, { signal: controller.signal }).then(
            () => sent.add(id),
            () => {},
          );
        } else if (op.kind === "receive") {
          const controller = new AbortController();
          cancels.set(`receive ${id}`, () => controller.abort());
          modelReceive(model, id, true);
          channel.receive({ signal: controller.signal }).then(
            (value) => received.set(id, value),
            () => {},
          );
        } else if (op.kind === "trySend") {
          const expected = modelSend(model, capacity, id, false);
          expect(channel.trySend(id)).toBe(expected);
          if (expected) sent.add(id);
        } else if (op.kind === "tryReceive") {
          const expected = modelReceive(model, id, false);
          const taken = channel.tryReceive();
          expect(taken).toEqual(
            expected === undefined ? { ok: false } : { ok: true, value: expected },
          );
          if (taken.ok) received.set(id, taken.value);
        } else {
          const pending = [
            ...model.senders.map((sender) => `send ${sender.id}`),
            ...model.receivers.map((receiver) => `receive ${receiver}`),
          ];
          if (pending.length === 0) continue;
          const key = pending[op.pick % pending.length] as string;
          const [kind, text] = key.split(" ");
          const target = Number(text);
          if (kind === "send") model.senders = model.senders.filter((s) => s.id !== target);
          else model.receivers = model.receivers.filter((r) => r !== target);
          cancels.get(key)?.();
        }
        await flush();
        expect(received).toEqual(model.received);
        expect(sent).toEqual(model.sent);
        expect(channel.stats()).toMatchObject({
          size: model.buffer.length,
          waitingSenders: model.senders.length,
          waitingReceivers: model.receivers.length,
        });
      }
      // Items leave in send order: receives in arrival order got increasing items.
      const order = [...received.entries()].sort(([a], [b]) => a - b).map(([, value]) => value);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      // Nothing lost: every completed send was received or is still buffered.
      for (const cancel of cancels.values()) cancel();
      await flush();
      channel.close();
      const drained: number[] = [];
      for await (const value of channel) drained.push(value);
      expect(drained).toEqual(model.buffer);
      expect([...order, ...drained].sort((a, b) => a - b)).toEqual([...sent].sort((a, b) => a - b));
    },
    30_000,
  );
});
