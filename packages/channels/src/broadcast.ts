import { suspend, type Waiter, type WaitOptions } from "@weft/core";
import { assertConcurrency, typeError } from "@weft/core/internal";
import { Channel, channelCore } from "./channel.ts";
import { ChannelClosedError } from "./errors.ts";
import type { ChannelCore } from "./internal/channel-core.ts";

/** Options of the {@link Broadcast} constructor. */
export interface BroadcastOptions {
  /** How many items each subscription buffers before `publish` waits: a positive integer or `Infinity`. */
  capacity: number;
}

interface Publisher {
  readonly value: unknown;
  readonly waiter: Waiter<void>;
}

/**
 * One subscriber's view of a {@link Broadcast}: every item published after it subscribed, in
 * order. Async-iterable; `close()` unsubscribes.
 *
 * @example
 * ```ts
 * import { Broadcast } from "@weft/channels";
 *
 * const broadcast = new Broadcast<number>({ capacity: 4 });
 * const subscription = broadcast.subscribe();
 * await broadcast.publish(1);
 * await broadcast.publish(2);
 * broadcast.close();
 * const received: number[] = [];
 * for await (const n of subscription) received.push(n);
 * console.log(received); // [ 1, 2 ]
 * ```
 */
export class Subscription<T> implements AsyncIterable<T> {
  readonly #channel: Channel<T>;
  readonly #onTake: () => void;
  readonly #onClose: () => void;

  /** @internal Made by {@link Broadcast.subscribe}. */
  constructor(channel: Channel<T>, onTake: () => void, onClose: () => void) {
    this.#channel = channel;
    this.#onTake = onTake;
    this.#onClose = onClose;
  }

  /** Whether the subscription or its broadcast is closed. */
  get closed(): boolean {
    return this.#channel.closed;
  }

  /** How many published items are buffered, not yet received. */
  get size(): number {
    return this.#channel.size;
  }

  /**
   * Receives the next item, waiting for one if none is buffered.
   *
   * A checkpoint: with a cancelled scope it rejects at once. Cancelled while waiting, it rejects
   * with the scope's `CancelledError` (or the signal's reason) and consumes nothing.
   *
   * @param options - A scope or `{ signal }`; omitted, the wait cannot be cancelled.
   * @returns A promise for the item.
   * @throws `ChannelClosedError` once closed and drained, or the error given to the broadcast's
   *   `close(error)`.
   * @example
   * ```ts
   * import { run } from "@weft/core";
   * import { Broadcast } from "@weft/channels";
   *
   * const broadcast = new Broadcast<string>({ capacity: 1 });
   * const subscription = broadcast.subscribe();
   * await broadcast.publish("news");
   * console.log(await run((scope) => subscription.receive(scope))); // news
   * ```
   */
  async receive(options?: WaitOptions): Promise<T> {
    const value = await this.#channel.receive(options);
    this.#onTake();
    return value;
  }

  /**
   * Unsubscribes: buffered items stay receivable, nothing more is delivered, and this
   * subscription no longer holds back `publish`. Idempotent.
   * @example
   * ```ts
   * import { Broadcast } from "@weft/channels";
   *
   * const broadcast = new Broadcast<number>({ capacity: 1 });
   * const subscription = broadcast.subscribe();
   * subscription.close();
   * await broadcast.publish(1);
   * console.log(subscription.closed, subscription.size); // true 0
   * ```
   */
  close(): void {
    this.#channel.close();
    this.#onClose();
  }

  /**
   * Iterates over the items with each receive bound to `options`, until closed and drained.
   * Breaking out consumes nothing more and does not unsubscribe.
   * @param options - A scope or `{ signal }` for every receive.
   * @returns An async iterator of the items.
   */
  iterate(options?: WaitOptions): AsyncIterableIterator<T, undefined> {
    const inner = this.#channel.iterate(options);
    const iterator: AsyncIterableIterator<T, undefined> = {
      next: async () => {
        const result = await inner.next();
        if (result.done !== true) this.#onTake();
        return result;
      },
      return: () => inner.return?.() ?? Promise.resolve({ done: true, value: undefined }),
      [Symbol.asyncIterator]: () => iterator,
    } as AsyncIterableIterator<T, undefined>;
    return iterator;
  }

  /**
   * Iterates over the items without a scope; see {@link Subscription.iterate}.
   * @returns An async iterator of the items.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T, undefined> {
    return this.iterate();
  }

  get [Symbol.toStringTag](): string {
    return "Subscription";
  }
}

/**
 * A one-to-many channel: every subscription receives every item published after it subscribed,
 * in order. A subscriber whose buffer is full holds back `publish` (back-pressure).
 *
 * @example
 * ```ts
 * import { Broadcast } from "@weft/channels";
 *
 * const broadcast = new Broadcast<string>({ capacity: 2 });
 * const a = broadcast.subscribe();
 * const b = broadcast.subscribe();
 * await broadcast.publish("tick");
 * console.log(await a.receive(), await b.receive()); // tick tick
 * ```
 */
export class Broadcast<T> {
  readonly #capacity: number;
  readonly #subscribers: Set<ChannelCore<T>> = new Set();
  readonly #publishers: Set<Publisher> = new Set();
  #closed = false;
  #error: unknown = undefined;

  /**
   * @param options - `capacity`: each subscription's buffer, a positive integer or `Infinity`.
   * @throws `RangeError` for a bad capacity; `TypeError` for options of the wrong type.
   */
  constructor(options: BroadcastOptions) {
    if (typeof options !== "object" || options === null) {
      throw typeError("options", "an object", options);
    }
    assertConcurrency(options.capacity, "capacity");
    this.#capacity = options.capacity;
  }

  /** Whether `close` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many subscriptions are open. */
  get subscribers(): number {
    return this.#subscribers.size;
  }

  /**
   * Subscribes: the subscription receives every item published from now on. On a closed
   * broadcast it is closed at once (with the broadcast's error, if any).
   * @returns The new subscription.
   * @example
   * ```ts
   * import { Broadcast } from "@weft/channels";
   *
   * const broadcast = new Broadcast<number>({ capacity: 1 });
   * const subscription = broadcast.subscribe();
   * console.log(broadcast.subscribers, subscription.closed); // 1 false
   * ```
   */
  subscribe(): Subscription<T> {
    const channel = new Channel<T>(this.#capacity);
    const core = channelCore(channel);
    const subscription = new Subscription<T>(
      channel,
      () => this.#pump(),
      () => {
        this.#subscribers.delete(core);
        this.#pump();
      },
    );
    if (this.#closed) channel.close(this.#error);
    else this.#subscribers.add(core);
    return subscription;
  }

  /**
   * Publishes `value` to every open subscription, waiting while any of them has a full buffer.
   * Publishers are served in arrival order.
   *
   * A checkpoint: with a cancelled scope it rejects at once. Cancelled while waiting, it rejects
   * with the scope's `CancelledError` (or the signal's reason) and publishes nothing.
   *
   * @param value - The item.
   * @param options - A scope or `{ signal }`; omitted, the wait cannot be cancelled.
   * @returns A promise that resolves once every subscription has the item.
   * @throws `ChannelClosedError` when the broadcast is closed, or closes while the publish waits.
   * @example
   * ```ts
   * import { run } from "@weft/core";
   * import { Broadcast } from "@weft/channels";
   *
   * const broadcast = new Broadcast<number>({ capacity: 1 });
   * const subscription = broadcast.subscribe();
   * await run((scope) => broadcast.publish(5, scope));
   * console.log(subscription.size); // 1
   * ```
   */
  publish(value: T, options?: WaitOptions): Promise<void> {
    return suspend<void>(options, "Broadcast.publish", (waiter) => {
      if (this.#closed) {
        waiter.reject(new ChannelClosedError("The broadcast is closed"));
        return undefined;
      }
      const publisher: Publisher = { value, waiter };
      this.#publishers.add(publisher);
      this.#pump();
      return () => {
        this.#publishers.delete(publisher);
      };
    });
  }

  #hasRoom(): boolean {
    for (const core of this.#subscribers) {
      if (core.buffer.size >= core.capacity && core.receivers.size === 0) return false;
    }
    return true;
  }

  /** Publishes waiting items, in order, while every subscription has room. */
  #pump(): void {
    for (const publisher of this.#publishers) {
      if (!this.#hasRoom()) return;
      this.#publishers.delete(publisher);
      if (!publisher.waiter.resolve()) continue;
      for (const core of this.#subscribers) core.deliver(publisher.value as T);
    }
  }

  /**
   * Closes the broadcast and every subscription; idempotent, synchronous. Waiting publishers
   * reject with `ChannelClosedError`. Subscribers drain what they have buffered, then their
   * receives reject with `ChannelClosedError` (iteration ends); with an `error`, subscriptions are
   * closed with it as by `Channel.close(error)`.
   * @param error - Optional: the error subscribers get.
   * @example
   * ```ts
   * import { Broadcast } from "@weft/channels";
   *
   * const broadcast = new Broadcast<number>({ capacity: 1 });
   * const subscription = broadcast.subscribe();
   * broadcast.close();
   * console.log(broadcast.closed, subscription.closed); // true true
   * ```
   */
  close(error?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    const publishers = [...this.#publishers];
    this.#publishers.clear();
    for (const { waiter } of publishers) {
      waiter.reject(new ChannelClosedError("The broadcast is closed"));
    }
    const subscribers = [...this.#subscribers];
    this.#subscribers.clear();
    for (const core of subscribers) core.close(error, error !== undefined);
  }

  get [Symbol.toStringTag](): string {
    return "Broadcast";
  }
}
