// The real side of the select property, and its commands on plain channel calls (send, receive,
// their try* twins, close, cancel); never shipped (see `files` in package.json).
import type { Scope, TaskGroup } from "@weft/core";
import { macrotask } from "@weft/core/internal";
import type fc from "fast-check";
import { expect } from "vitest";
import { nameError, startCall } from "./calls.test-support.ts";
import {
  canSend,
  complete,
  type Model,
  modelClose,
  modelReceive,
  modelSend,
  NAMES,
  type Name,
  type Outcome,
  sendValue,
} from "./channel-model.test-support.ts";
import type { Channel } from "./index.ts";

export interface Real {
  channels: Record<Name, Channel<number>>;
  errors: Record<Name, Error>;
  undelivered: Record<Name, number[]>;
  group: TaskGroup;
  outcomes: Map<number, Outcome>;
  cancels: Map<number, () => void>;
  sent: number[];
  received: number[];
}

export function describeError(real: Real, error: unknown): string {
  return nameError(error, { "error a": real.errors.a, "error b": real.errors.b });
}

/** Starts a blocking call as a task of its own, in a cancel scope `real.cancels` can cancel. */
export function start(
  real: Real,
  op: number,
  call: (scope: Scope) => Promise<{ key: string; value: unknown }>,
): void {
  startCall(real, op, call, { "error a": real.errors.a, "error b": real.errors.b }, (settled) => {
    if ("error" in settled) {
      real.outcomes.set(op, settled);
      return;
    }
    const { key, value } = settled.value;
    real.outcomes.set(op, { key, value: value as number | undefined });
    if (key.startsWith("send")) real.sent.push(sendValue(op, key));
    else real.received.push(value as number);
  });
}

export async function compare(model: Model, real: Real): Promise<void> {
  await macrotask();
  expect(real.outcomes).toEqual(model.outcomes);
  for (const name of NAMES) {
    const c = model.channels[name];
    expect(real.channels[name].stats()).toMatchObject({
      size: c.buffer.length,
      waitingSenders: c.senders.length,
      waitingReceivers: c.receivers.length,
    });
    expect(real.channels[name].closed).toBe(c.closed);
    expect(real.undelivered[name]).toEqual(c.undelivered);
  }
}

export type Command = fc.AsyncCommand<Model, Real>;

/** A command on one of the two channels, always applicable. */
abstract class OnChannel implements Command {
  readonly channel: Name;
  constructor(channel: Name) {
    this.channel = channel;
  }
  check(): boolean {
    return true;
  }
  abstract run(model: Model, real: Real): Promise<void>;
  abstract toString(): string;
}

export class Send extends OnChannel {
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    model.waiting.push(op);
    modelSend(model, this.channel, op, "send0", true);
    const channel = real.channels[this.channel];
    start(real, op, (s) =>
      channel.send(sendValue(op, "send0"), s).then(() => ({ key: "send0", value: undefined })),
    );
    await compare(model, real);
  }
  toString(): string {
    return `send(${this.channel})`;
  }
}

export class Receive extends OnChannel {
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    model.waiting.push(op);
    modelReceive(model, this.channel, op, "receive0", true);
    const channel = real.channels[this.channel];
    start(real, op, (s) => channel.receive(s).then((value) => ({ key: "receive0", value })));
    await compare(model, real);
  }
  toString(): string {
    return `receive(${this.channel})`;
  }
}

export class TrySend extends OnChannel {
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    const c = model.channels[this.channel];
    const expected = !c.closed && canSend(c) && modelSend(model, this.channel, op, "send0", false);
    model.outcomes.delete(op);
    const sent = real.channels[this.channel].trySend(sendValue(op, "send0"));
    expect(sent).toBe(expected);
    if (sent) real.sent.push(sendValue(op, "send0"));
    await compare(model, real);
  }
  toString(): string {
    return `trySend(${this.channel})`;
  }
}

export class TryReceive extends OnChannel {
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    const c = model.channels[this.channel];
    const ready = c.buffer.length > 0 || c.senders.length > 0;
    if (ready) modelReceive(model, this.channel, op, "receive0", false);
    const expected = model.outcomes.get(op);
    model.outcomes.delete(op);
    const taken = real.channels[this.channel].tryReceive();
    expect(taken).toEqual(
      expected !== undefined && "key" in expected
        ? { ok: true, value: expected.value }
        : { ok: false },
    );
    if (taken.ok) real.received.push(taken.value);
    await compare(model, real);
  }
  toString(): string {
    return `tryReceive(${this.channel})`;
  }
}

export class Close implements Command {
  readonly channel: Name;
  readonly withError: boolean;
  constructor(channel: Name, withError: boolean) {
    this.channel = channel;
    this.withError = withError;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    modelClose(model, this.channel, this.withError);
    real.channels[this.channel].close(this.withError ? real.errors[this.channel] : undefined);
    await compare(model, real);
  }
  toString(): string {
    return `close(${this.channel}${this.withError ? ", error" : ""})`;
  }
}

export class Cancel implements Command {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check(model: Model): boolean {
    return model.waiting.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const op = model.waiting[this.pick % model.waiting.length] as number;
    complete(model, op, { error: "cancelled" });
    real.cancels.get(op)?.();
    await compare(model, real);
  }
  toString(): string {
    return `cancel(#${this.pick})`;
  }
}
