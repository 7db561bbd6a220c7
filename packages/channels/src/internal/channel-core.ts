/**
 * The state and algorithms of a channel, shared by `Channel`, `select` and `Broadcast`.
 *
 * Invariants: receivers wait only while the buffer is empty; senders wait only while the buffer is
 * full (the one exception: an item kept mid-handoff, see `keep`). Waiting entries leave their
 * lines as soon as their wait ends (committed elsewhere, cancelled), so every entry in a line is
 * live, except in the rare instant where a deadline due now wins over a wake-up: then `commit`
 * returns `false` and the next entry is tried.
 * @internal
 * @packageDocumentation
 */

import { reportUncaught } from "@weft/core/internal";
import { ChannelClosedError } from "../errors.ts";
import { FifoStore } from "./queue-store.ts";
import { WaitQueue } from "./wait-queue.ts";

/**
 * How a full buffer treats a new item: `"wait"` for room, drop the `"drop-newest"` (the item being
 * sent), or evict the `"drop-oldest"` buffered item.
 * @example
 * ```ts
 * import { Channel, type Overflow } from "@weft/channels";
 *
 * const overflow: Overflow = "drop-oldest";
 * const latest = new Channel<number>({ capacity: 1, overflow });
 * latest.trySend(1);
 * latest.trySend(2);
 * console.log(latest.tryReceive()); // { ok: true, value: 2 }
 * ```
 */
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
/** The caller's side of an operation: completes its wait, or returns `false` if it had ended. */
export interface Completion<T> {
  resolve(value: T): boolean;
}

/** The completion of an operation that is sure to take place (`trySend`, `tryReceive`). */
export const ALWAYS: Completion<unknown> = { resolve: () => true };

export type Taken<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

const NOT_READY: Taken<never> = { ok: false };

/** What {@link ChannelCore.takeNow} returns when no item is ready. */
export const NONE: unique symbol = Symbol("none");

export class ChannelCore<T> {
  readonly capacity: number;
  readonly overflow: Overflow;
  readonly onUndelivered: ((item: T) => void) | undefined;
  readonly buffer: FifoStore<T> = new FifoStore<T>();
  readonly senders: WaitQueue<SendEntry<T>> = new WaitQueue();
  readonly receivers: WaitQueue<ReceiveEntry<T>> = new WaitQueue();
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
      reportUncaught(error);
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
   * Sends `value` if the channel is open and a send completes now. `wait.resolve()` completes the
   * caller's own wait (a core `Waiter` fits); when it returns `false` nothing is sent.
   * @returns `"sent"` (also: dropped by the overflow policy), `"closed"`, `"blocked"` or
   *   `"gone"` (the caller's wait had already ended).
   */
  send(value: T, wait: Completion<void>): "sent" | "closed" | "blocked" | "gone" {
    if (this.closed) return "closed";
    if (!this.canSend()) return "blocked";
    if (!wait.resolve()) return "gone";
    this.deliver(value);
    return "sent";
  }

  /** Places an item whose sender has completed: to a receiver, the buffer, or the overflow policy. */
  deliver(value: T): void {
    for (let receiver = this.receivers.shift(); receiver !== undefined; ) {
      if (receiver.commit(value)) return;
      receiver = this.receivers.shift();
    }
    if (this.closed) {
      // A receiver's cancellation closed the channel as the item was handed to it.
      this.keep(value);
      return;
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

  /**
   * Keeps an item whose sender has completed but whose receiver was cancelled as it was handed
   * over: buffered for the next receiver, or undelivered if the channel was closed with an error
   * meanwhile (a cancellation's abort listeners run synchronously, and may close it).
   */
  private keep(value: T): void {
    if (this.hasError) this.undelivered(value);
    else this.push(value);
  }

  private push(value: T): void {
    this.buffer.push(value);
    if (this.buffer.size > this.peak) this.peak = this.buffer.size;
  }

  /**
   * Receives an item if one is ready. `wait.resolve(item)` completes the caller's own wait with it
   * (a core `Waiter` fits); when it returns `false` the item stays first in line.
   * @returns The item, `NOT_READY` when it would block or the wait had ended; `closed` when the
   *   channel is closed and drained.
   */
  receive(wait: Completion<T>): Taken<T> | "closed" {
    if (this.buffer.size > 0) {
      const value = this.buffer.peek();
      if (!wait.resolve(value)) return NOT_READY;
      this.buffer.take();
      this.refill();
      return { ok: true, value };
    }
    for (let sender = this.senders.shift(); sender !== undefined; ) {
      if (sender.commit()) {
        const value = sender.value;
        if (!wait.resolve(value)) {
          // The caller's wait ended at this very instant: the item goes to the next receiver.
          this.keep(value);
          return NOT_READY;
        }
        return { ok: true, value };
      }
      sender = this.senders.shift();
    }
    if (this.closed) return "closed";
    return NOT_READY;
  }

  /**
   * Takes an item that is ready now, buffered or a waiting sender's, for a receive that is sure to
   * take place (the caller passed its checkpoint). Returns {@link NONE} when there is none.
   */
  takeNow(): T | typeof NONE {
    if (this.buffer.size > 0) {
      const value = this.buffer.take();
      this.refill();
      return value;
    }
    for (let sender = this.senders.shift(); sender !== undefined; sender = this.senders.shift()) {
      if (sender.commit()) return sender.value;
    }
    return NONE;
  }

  /** Moves blocked senders' items into the buffer while it has room. */
  refill(): void {
    while (this.buffer.size < this.capacity) {
      const sender = this.senders.shift();
      if (sender === undefined) return;
      if (sender.commit()) this.push(sender.value);
    }
  }

  close(error: unknown, hasError: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.hasError = hasError;
    this.error = error;
    for (const sender of this.senders.takeAll()) sender.fail(new ChannelClosedError());
    if (hasError) {
      const items: T[] = [];
      while (this.buffer.size > 0) items.push(this.buffer.take());
      for (const item of items) this.undelivered(item);
    }
    if (this.buffer.size === 0) {
      for (const receiver of this.receivers.takeAll()) receiver.fail(this.closeError());
    }
  }
}
