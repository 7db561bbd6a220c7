import type { Waiter } from "@weft/core";
import { ChannelClosedError } from "../errors.ts";
import type { ChannelCore, ReceiveEntry, SendEntry } from "./channel-core.ts";
import { END } from "./receive-iterator.ts";

/*
 * The blocking halves of `Channel.send` and `Channel.receive`: what they register inside core's
 * `suspend`. A waiting sender or receiver is one small object whose methods complete its wait (no
 * closures per wait), in the channel's line of senders or receivers.
 */

/** A sender waiting in line: its item, and the wait that completes when the item is taken. */
class WaitingSender<T> implements SendEntry<T> {
  readonly value: T;
  readonly #waiter: Waiter<void>;

  constructor(value: T, waiter: Waiter<void>) {
    this.value = value;
    this.#waiter = waiter;
  }

  commit(): boolean {
    return this.#waiter.resolve();
  }

  fail(error: unknown): void {
    this.#waiter.reject(error);
  }
}

/** A receiver waiting in line. */
class WaitingReceiver<T> implements ReceiveEntry<T> {
  readonly #core: ChannelCore<T>;
  readonly #waiter: Waiter<T | typeof END>;
  readonly #endOnClose: boolean;

  constructor(core: ChannelCore<T>, waiter: Waiter<T | typeof END>, endOnClose: boolean) {
    this.#core = core;
    this.#waiter = waiter;
    this.#endOnClose = endOnClose;
  }

  commit(value: T): boolean {
    return this.#waiter.resolve(value);
  }

  fail(): void {
    closedReceive(this.#core, this.#waiter, this.#endOnClose);
  }
}

/**
 * Registers a send of `value` for `waiter`: completes it now if the channel is ready (or closed),
 * else puts it in line. Returns how to withdraw it.
 */
export function waitToSend<T>(
  core: ChannelCore<T>,
  value: T,
  waiter: Waiter<void>,
): (() => void) | undefined {
  const outcome = core.send(value, waiter);
  if (outcome === "closed") {
    waiter.reject(new ChannelClosedError());
    return undefined;
  }
  if (outcome !== "blocked") return undefined;
  const senders = core.senders;
  const place = senders.push(new WaitingSender(value, waiter));
  return () => senders.remove(place);
}

/**
 * Registers a receive for `waiter`: completes it now if an item is ready (or the channel is closed
 * and drained), else puts it in line. With `endOnClose` (iteration), a plain close resolves with
 * `END` instead of rejecting. Returns how to withdraw it.
 */
export function waitToReceive<T>(
  core: ChannelCore<T>,
  waiter: Waiter<T | typeof END>,
  endOnClose: boolean,
): (() => void) | undefined {
  const taken = core.receive(waiter);
  if (taken === "closed") {
    closedReceive(core, waiter, endOnClose);
    return undefined;
  }
  if (taken.ok || waiter.settled) return undefined;
  const receivers = core.receivers;
  const place = receivers.push(new WaitingReceiver(core, waiter, endOnClose));
  return () => receivers.remove(place);
}

function closedReceive<T>(
  core: ChannelCore<T>,
  waiter: Waiter<T | typeof END>,
  endOnClose: boolean,
): void {
  if (endOnClose && !core.hasError) waiter.resolve(END);
  else waiter.reject(core.closeError());
}
