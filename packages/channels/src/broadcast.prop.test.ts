import { type TaskGroup, taskGroup } from "@weft/core";
import { macrotask } from "@weft/core/internal";
import { fakeTime } from "@weft/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  closeSubscription,
  complete,
  type Model,
  pump,
  type SubscriptionModel,
} from "./broadcast-model.test-support.ts";
import { type Settled, startCall } from "./calls.test-support.ts";
import { Broadcast, type Subscription } from "./index.ts";

// Model-based test: random interleavings of subscribe, publish, receive on any subscription,
// unsubscribe, close (plain or with an error) and cancellation of a waiting publish or receive,
// against a reference model of a broadcast, for capacities 1, 2 and unbounded. Every blocking call
// is a task of its own in a cancel scope, under `fakeTime` with a generated seed. After each
// command every call's outcome, every subscription's buffer and state, and every onUndelivered
// call match the model exactly: publishers served in arrival order, each subscription gets the
// items published while it was subscribed, in order, a slow one holds publish back, unsubscribing
// frees it. At the end each subscription's items were received, undelivered or left buffered:
// exactly one of these, exactly once.

interface Real {
  broadcast: Broadcast<number>;
  subscriptions: Subscription<number>[];
  error: Error;
  undelivered: number[];
  received: number[];
  group: TaskGroup;
  cancels: Map<number, () => void>;
  outcomes: Map<number, Settled<number | undefined>>;
}

async function compare(model: Model, real: Real): Promise<void> {
  await macrotask();
  expect(real.outcomes).toEqual(model.outcomes);
  expect(real.subscriptions.map((s) => [s.size, s.closed])).toEqual(
    model.subscriptions.map((s) => [s.buffer.length, s.closed]),
  );
  expect(real.broadcast.subscribers).toBe(model.subscriptions.filter((s) => s.subscribed).length);
  expect(real.broadcast.closed).toBe(model.closed);
  expect(real.undelivered).toEqual(model.undelivered);
}

type Command = fc.AsyncCommand<Model, Real>;
const pickOf = <T>(items: readonly T[], pick: number): T => items[pick % items.length] as T;

class Subscribe implements Command {
  check(model: Model): boolean {
    return model.subscriptions.length < 4;
  }
  async run(model: Model, real: Real): Promise<void> {
    const s: SubscriptionModel = {
      buffer: [],
      receivers: [],
      subscribed: !model.closed,
      closed: model.closed,
      error: model.error,
      given: [],
    };
    model.subscriptions.push(s);
    real.subscriptions.push(real.broadcast.subscribe());
    await compare(model, real);
  }
  toString(): string {
    return "subscribe";
  }
}

class Publish implements Command {
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    if (model.closed) complete(model, op, { error: "closed" });
    else {
      model.waiting.push(op);
      model.publishers.push(op);
      pump(model);
    }
    startCall(
      real,
      op,
      (scope) => real.broadcast.publish(op, scope).then(() => undefined),
      {},
      (settled) => real.outcomes.set(op, settled),
    );
    await compare(model, real);
  }
  toString(): string {
    return "publish";
  }
}

class Receive implements Command {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check(model: Model): boolean {
    return model.subscriptions.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    const index = this.pick % model.subscriptions.length;
    const s = model.subscriptions[index] as SubscriptionModel;
    const value = s.buffer.shift();
    if (value !== undefined) {
      complete(model, op, { value });
      pump(model);
    } else if (s.closed) complete(model, op, { error: s.error ?? "closed" });
    else {
      model.waiting.push(op);
      s.receivers.push(op);
    }
    const subscription = real.subscriptions[index] as Subscription<number>;
    startCall(
      real,
      op,
      (scope) => subscription.receive(scope),
      { error: real.error },
      (settled) => {
        real.outcomes.set(op, settled);
        if ("value" in settled) real.received.push(settled.value);
      },
    );
    await compare(model, real);
  }
  toString(): string {
    return `receive(#${this.pick})`;
  }
}

class Unsubscribe implements Command {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check(model: Model): boolean {
    return model.subscriptions.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const index = this.pick % model.subscriptions.length;
    closeSubscription(model, model.subscriptions[index] as SubscriptionModel, undefined);
    pump(model);
    real.subscriptions[index]?.close();
    await compare(model, real);
  }
  toString(): string {
    return `unsubscribe(#${this.pick})`;
  }
}

class Close implements Command {
  readonly withError: boolean;
  constructor(withError: boolean) {
    this.withError = withError;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    if (!model.closed) {
      model.closed = true;
      model.error = this.withError ? "error" : undefined;
      for (const op of [...model.publishers]) complete(model, op, { error: "closed" });
      for (const s of model.subscriptions) {
        if (s.subscribed) closeSubscription(model, s, model.error);
      }
    }
    real.broadcast.close(this.withError ? real.error : undefined);
    await compare(model, real);
  }
  toString(): string {
    return `close(${this.withError ? "error" : ""})`;
  }
}

class Cancel implements Command {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check(model: Model): boolean {
    return model.waiting.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const op = pickOf(model.waiting, this.pick);
    complete(model, op, { error: "cancelled" });
    real.cancels.get(op)?.();
    await compare(model, real);
  }
  toString(): string {
    return `cancel(#${this.pick})`;
  }
}

// Closing ends the interesting part of a run: it is drawn rarely.
const commands = fc.commands(
  [
    fc.oneof(
      { arbitrary: fc.constant(new Subscribe()), weight: 2 },
      { arbitrary: fc.constant(new Publish()), weight: 6 },
      { arbitrary: fc.nat(8).map((pick) => new Receive(pick)), weight: 6 },
      { arbitrary: fc.nat(8).map((pick) => new Unsubscribe(pick)), weight: 1 },
      { arbitrary: fc.boolean().map((withError) => new Close(withError)), weight: 1 },
      { arbitrary: fc.nat(20).map((pick) => new Cancel(pick)), weight: 2 },
    ),
  ],
  { maxCommands: 40, size: "max" },
);

describe("Broadcast", () => {
  it("matches a model: every subscription gets its items in order, back-pressure, nothing lost", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 2, Number.POSITIVE_INFINITY),
        fc.integer({ min: 0, max: 3 }),
        fc.integer(),
        commands,
        async (capacity, subscribers, seed, cmds) => {
          await fakeTime(
            ({ scope }) =>
              taskGroup(scope, async (group) => {
                const undelivered: number[] = [];
                const real: Real = {
                  broadcast: new Broadcast<number>({
                    capacity,
                    onUndelivered: (item) => undelivered.push(item),
                  }),
                  subscriptions: [],
                  error: new Error("error"),
                  undelivered,
                  received: [],
                  group,
                  cancels: new Map(),
                  outcomes: new Map(),
                };
                const model: Model = {
                  capacity,
                  subscriptions: [],
                  publishers: [],
                  closed: false,
                  error: undefined,
                  outcomes: new Map(),
                  waiting: [],
                  undelivered: [],
                  nextOp: 0,
                };
                for (let n = 0; n < subscribers; n++) await new Subscribe().run(model, real);
                await fc.asyncModelRun(() => ({ model, real }), cmds);
                for (const cancel of real.cancels.values()) cancel();
                await macrotask();
                real.broadcast.close();
                const left: number[] = [];
                for (const [index, subscription] of real.subscriptions.entries()) {
                  const drained: number[] = [];
                  for (;;) {
                    const taken = await subscription.receive(scope).then(
                      (value) => ({ value }),
                      () => undefined,
                    );
                    if (taken === undefined) break;
                    drained.push(taken.value);
                  }
                  expect(drained).toEqual(model.subscriptions[index]?.buffer);
                  left.push(...drained);
                }
                // Each subscription's items: received, undelivered or left, exactly once.
                const given = model.subscriptions.flatMap((s) => s.given);
                const out = [...real.received, ...undelivered, ...left];
                expect(out.sort((a, b) => a - b)).toEqual(given.sort((a, b) => a - b));
              }),
            { seed },
          );
        },
      ),
      { numRuns: 120 },
    );
  }, 60_000);
});
