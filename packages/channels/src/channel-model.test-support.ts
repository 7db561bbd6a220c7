// The reference model of channels for the select property; never shipped (see `files` in
// package.json). A model channel holds its buffer and its lines of waiting senders and receivers;
// each entry belongs to a call, and a call (a select) may stand in several lines at once: when it
// completes through one, it leaves all the others.
import type { Overflow } from "./index.ts";

export type Name = "a" | "b";
export const NAMES: readonly Name[] = ["a", "b"];

export type Outcome =
  | { readonly key: string; readonly value: number | undefined }
  | { readonly error: string };

export interface CaseSpec {
  readonly kind: "send" | "receive";
  readonly channel: Name;
}

export interface Entry {
  readonly op: number;
  readonly key: string;
  readonly value: number;
}

export interface ChannelModel {
  readonly capacity: number;
  readonly overflow: Overflow;
  buffer: number[];
  senders: Entry[];
  receivers: Entry[];
  closed: boolean;
  error: string | undefined;
  undelivered: number[];
}

export interface Model {
  channels: Record<Name, ChannelModel>;
  outcomes: Map<number, Outcome>;
  /** Calls that wait, in the order they started. */
  waiting: number[];
  sent: number[];
  received: number[];
  nextOp: number;
}

export const closeError = (channel: ChannelModel): string => channel.error ?? "closed";

export function complete(model: Model, op: number, outcome: Outcome): void {
  model.outcomes.set(op, outcome);
  model.waiting = model.waiting.filter((id) => id !== op);
  for (const name of NAMES) {
    const channel = model.channels[name];
    channel.senders = channel.senders.filter((entry) => entry.op !== op);
    channel.receivers = channel.receivers.filter((entry) => entry.op !== op);
  }
  if ("key" in outcome && outcome.key.startsWith("send"))
    model.sent.push(sendValue(op, outcome.key));
  if ("key" in outcome && outcome.value !== undefined && outcome.key.startsWith("receive")) {
    model.received.push(outcome.value);
  }
}

/** The value a call sends for case `key`: unique per call and case. */
export const sendValue = (op: number, key: string): number => op * 10 + Number(key.slice(-1));

export const canSend = (c: ChannelModel): boolean =>
  c.closed || c.receivers.length > 0 || c.buffer.length < c.capacity || c.overflow !== "wait";
export const canReceive = (c: ChannelModel): boolean =>
  c.closed || c.buffer.length > 0 || c.senders.length > 0;

/** What case `key` of a ready call would produce, without doing it. */
export function preview(model: Model, spec: CaseSpec, key: string): Outcome {
  const c = model.channels[spec.channel];
  if (spec.kind === "send") return c.closed ? { error: "closed" } : { key, value: undefined };
  const next = c.buffer[0] ?? c.senders[0]?.value;
  return next === undefined ? { error: closeError(c) } : { key, value: next };
}

/** Sends for call `op`, case `key`; parks it if the channel is full and `park`. */
export function modelSend(
  model: Model,
  name: Name,
  op: number,
  key: string,
  park: boolean,
): boolean {
  const c = model.channels[name];
  const value = sendValue(op, key);
  if (c.closed) {
    complete(model, op, { error: "closed" });
    return false;
  }
  const receiver = c.receivers.shift();
  if (receiver !== undefined) complete(model, receiver.op, { key: receiver.key, value });
  else if (c.buffer.length < c.capacity) c.buffer.push(value);
  else if (c.overflow === "drop-newest") c.undelivered.push(value);
  else if (c.overflow === "drop-oldest") {
    c.undelivered.push(c.buffer.shift() as number);
    c.buffer.push(value);
  } else {
    if (park) c.senders.push({ op, key, value });
    return false;
  }
  complete(model, op, { key, value: undefined });
  return true;
}

/** Receives for call `op`, case `key`; parks it if nothing is ready and `park`. */
export function modelReceive(
  model: Model,
  name: Name,
  op: number,
  key: string,
  park: boolean,
): boolean {
  const c = model.channels[name];
  const value = c.buffer.shift();
  if (value !== undefined) {
    complete(model, op, { key, value });
    while (c.buffer.length < c.capacity) {
      const sender = c.senders.shift();
      if (sender === undefined) break;
      complete(model, sender.op, { key: sender.key, value: undefined });
      c.buffer.push(sender.value);
    }
    return true;
  }
  const sender = c.senders.shift();
  if (sender !== undefined) {
    complete(model, sender.op, { key: sender.key, value: undefined });
    complete(model, op, { key, value: sender.value });
    return true;
  }
  if (c.closed) {
    complete(model, op, { error: closeError(c) });
    return true;
  }
  if (park) c.receivers.push({ op, key, value: -1 });
  return false;
}

export function modelClose(model: Model, name: Name, withError: boolean): void {
  const c = model.channels[name];
  if (c.closed) return;
  c.closed = true;
  c.error = withError ? `error ${name}` : undefined;
  for (const sender of [...c.senders]) complete(model, sender.op, { error: "closed" });
  if (withError) c.undelivered.push(...c.buffer.splice(0));
  if (c.buffer.length === 0) {
    for (const receiver of [...c.receivers]) complete(model, receiver.op, { error: closeError(c) });
  }
}
