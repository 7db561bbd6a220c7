// The reference model of a broadcast for its property; never shipped (see `files` in
// package.json). Items are the ids of the publish calls that sent them.
import type { Settled } from "./calls.test-support.ts";

export interface SubscriptionModel {
  buffer: number[];
  /** Waiting receives, by call. */
  receivers: number[];
  /** Still subscribed (not unsubscribed, broadcast not closed). */
  subscribed: boolean;
  closed: boolean;
  error: string | undefined;
  /** Every item published to it. */
  given: number[];
}

export interface Model {
  capacity: number;
  subscriptions: SubscriptionModel[];
  publishers: number[];
  closed: boolean;
  error: string | undefined;
  outcomes: Map<number, Settled<number | undefined>>;
  waiting: number[];
  undelivered: number[];
  nextOp: number;
}

export function complete(model: Model, op: number, outcome: Settled<number | undefined>): void {
  model.outcomes.set(op, outcome);
  model.waiting = model.waiting.filter((id) => id !== op);
  model.publishers = model.publishers.filter((id) => id !== op);
  for (const s of model.subscriptions) s.receivers = s.receivers.filter((id) => id !== op);
}

export const hasRoom = (model: Model): boolean =>
  model.subscriptions.every(
    (s) => !s.subscribed || s.buffer.length < model.capacity || s.receivers.length > 0,
  );

/** Publishes the waiting items, in order, while every subscription has room. */
export function pump(model: Model): void {
  while (model.publishers.length > 0 && hasRoom(model)) {
    const op = model.publishers[0] as number;
    complete(model, op, { value: undefined });
    for (const s of model.subscriptions) {
      if (!s.subscribed) continue;
      s.given.push(op);
      const receiver = s.receivers.shift();
      if (receiver === undefined) s.buffer.push(op);
      else complete(model, receiver, { value: op });
    }
  }
}

/** Closes one subscription's channel, as `Channel.close(error)`. */
export function closeSubscription(
  model: Model,
  s: SubscriptionModel,
  error: string | undefined,
): void {
  if (s.closed) return;
  s.closed = true;
  s.subscribed = false;
  s.error = error;
  if (error !== undefined) model.undelivered.push(...s.buffer.splice(0));
  if (s.buffer.length === 0) {
    for (const receiver of [...s.receivers])
      complete(model, receiver, { error: error ?? "closed" });
  }
}
