/**
 * The state and algorithms of a channel, shared by `Channel`, `select` and `Broadcast`.
 *
 * Invariants: receivers wait only while the buffer is empty; senders wait only while the buffer is
 * full. Waiting entries are removed from their sets as soon as their wait ends (committed
 * elsewhere, cancelled), so every entry in a set is live, except in the rare instant where a
 * deadline due now wins over a wake-up: then `commit` returns `false` and the next entry is tried.
 * @internal
 * @packageDocumentation
 */

import { ChannelClosedError } from "../errors.ts";
import { FifoStore } from "./queue-store.ts";

/** How a full buffer treats a new item. */
export type Overflow = "wait" | "drop-newest" | "drop-oldest";

/** A blocked sender (a `send` or a select's send case). */
export interface SendEntry<T> {
  readonly value: T;
  /** Completes the sender's wait; `false` if it had already ended (the value is then not taken). */
  commit(): boolean;
  /** Fails the sender's wait (the channel closed). */
  fail(error: unknown): void;
}

/** A blocked receiver (a `receive` or a select's receive case). */
export interface ReceiveEntry<T> {
  /** Completes the receiver's wait with `value`; `false` if it had already ended. */
  commit(value: T): boolean;
  /** Fails the receiver's wait (the channel closed and is drained). */
  fail(error: unknown): void;
}

/** What a ready receive found. */
export type Taken<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

const NOT_READY: Taken<never> = { ok: false };

/** Reports an error thrown by a user callback without disturbing the channel. */
export function report(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

function first<T>(set: Set<T>): T | undefined {
  for (const item of set) return item;
  return undefined;
}

export class ChannelCore<T> {
  readonly capacity: number;
  readonly overflow: Overflow;
  readonly onUndelivered: ((item: T) => void) | undefined;
  readonly buffer: FifoStore<T> = new FifoStore<T>();
  readonly senders: Set<SendEntry<T>> = new Set();
  readonly receivers: Set<ReceiveEntry<T>> = new Set();
  closed = false;
  /** The error given to `close`, if any. */
  error: unknown = undefined;
  hasError = false;
  peak = 0;

  constructor(
    capacity: number,
    overflow: Overflow,
    onUndelivered: ((item: T) => void) | undefined,
  ) {
    this.capacity = capacity;
    this.overflow = overflow;
    this.onUndelivered = onUndelivered;
  }

  /** The error a receive on the drained, closed channel fails with. */
  closeError(): unknown {
    return this.hasError ? this.error : new ChannelClosedError();
  }

  undelivered(item: T): void {
    const callback = this.onUndelivered;
    if (callback === undefined) return;
    try {
      callback(item);
    } catch (error) {
      report(error);
    }
  }

  /** Whether a send would complete now (or fail: the channel is closed). */
  canSend(): boolean {
    return (
      this.closed ||
      this.receivers.size > 0 ||
      this.buffer.size < this.capacity ||
      this.overflow !== "wait"
    );
  }

  /** Whether a receive would complete now (or fail: the channel is closed and drained). */
  canReceive(): boolean {
    return this.closed || this.buffer.size > 0 || this.senders.size > 0;
  }

  /**
   * Sends `value` if the channel is open and a send completes now. `commit` completes the caller's
   * own wait; when it returns `false` nothing is sent.
   * @returns `"sent"` (also: dropped by the overflow policy), `"closed"`, `"blocked"` or
   *   `"gone"` (the caller's wait had already ended).
   */
  send(value: T, commit: () => boolean): "sent" | "closed" | "blocked" | "gone" {
    if (this.closed) return "closed";
    if (!this.canSend()) return "blocked";
    if (!commit()) return "gone";
    this.deliver(value);
    return "sent";
  }

  /** Places an item whose sender has completed: to a receiver, the buffer, or the overflow policy. */
  deliver(value: T): void {
    for (let receiver = first(this.receivers); receiver !== undefined; ) {
      this.receivers.delete(receiver);
      if (receiver.commit(value)) return;
      receiver = first(this.receivers);
    }
    if (this.buffer.size >= this.capacity) {
      if (this.overflow === "drop-newest") {
        this.undelivered(value);
        return;
      }
      if (this.overflow === "drop-oldest" && this.buffer.size > 0) {
        this.undelivered(this.buffer.take());
      }
      // Otherwise every receiver ended at this very instant: keep the item over capacity.
    }
    this.push(value);
  }

  private push(value: T): void {
    this.buffer.push(value);
    if (this.buffer.size > this.peak) this.peak = this.buffer.size;
  }

  /**
   * Receives an item if one is ready. `commit` completes the caller's own wait with it; when it
   * returns `false` the item stays first in line.
   * @returns The item, `NOT_READY` when it would block or the wait had ended; `closed` when the
   *   channel is closed and drained.
   */
  receive(commit: (value: T) => boolean): Taken<T> | "closed" {
    if (this.buffer.size > 0) {
      const value = this.buffer.peek();
      if (!commit(value)) return NOT_READY;
      this.buffer.take();
      this.refill();
      return { ok: true, value };
    }
    for (let sender = first(this.senders); sender !== undefined; ) {
      this.senders.delete(sender);
      if (sender.commit()) {
        const value = sender.value;
        if (!commit(value)) {
          // The caller's wait ended at this very instant: keep the item for the next receiver.
          this.push(value);
          return NOT_READY;
        }
        return { ok: true, value };
      }
      sender = first(this.senders);
    }
    if (this.closed) return "closed";
    return NOT_READY;
  }

  /** Moves blocked senders' items into the buffer while it has room. */
  refill(): void {
    while (this.buffer.size < this.capacity) {
      const sender = first(this.senders);
      if (sender === undefined) return;
      this.senders.delete(sender);
      if (sender.commit()) this.push(sender.value);
    }
  }

  close(error: unknown, hasError: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.hasError = hasError;
    this.error = error;
    const senders = [...this.senders];
    this.senders.clear();
    for (const sender of senders) sender.fail(new ChannelClosedError());
    if (hasError) {
      const items: T[] = [];
      while (this.buffer.size > 0) items.push(this.buffer.take());
      for (const item of items) this.undelivered(item);
    }
    if (this.buffer.size === 0) {
      const receivers = [...this.receivers];
      this.receivers.clear();
      for (const receiver of receivers) receiver.fail(this.closeError());
    }
  }
}
