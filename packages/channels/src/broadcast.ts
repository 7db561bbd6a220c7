import { suspend, type Waiter, type WaitOptions } from "@weft/core";
import { assertConcurrency, assertFunction, typeError } from "@weft/core/internal";
import { Channel, channelCore } from "./channel.ts";
import { ChannelClosedError } from "./errors.ts";
import type { ChannelCore } from "./internal/channel-core.ts";
import { WaitQueue } from "./internal/wait-queue.ts";
import { Subscription } from "./subscription.ts";

/**
 * Options of the {@link Broadcast} constructor.
 * @example
 * ```ts
 * import { Broadcast, type BroadcastOptions } from "@weft/channels";
 *
 * const options: BroadcastOptions<string> = { capacity: 8 };
 * const events = new Broadcast(options);
 * console.log(events.subscribe().closed); // false
 * ```
 */
export interface BroadcastOptions<T = unknown> {
  /** How many items each subscription buffers before `publish` waits: a positive integer or `Infinity`. */
  capacity: number;
  /**
   * Called once for each item a subscription had buffered and will never hand out, because the
   * broadcast was closed with an error (as `Channel`'s `onUndelivered`, once per subscription
   * that held the item). An error it throws is reported as an uncaught error (rethrown in a
   * microtask) and the broadcast carries on.
   */
  onUndelivered?: ((item: T) => void) | undefined;
}

interface Publisher {
  readonly value: unknown;
  readonly waiter: Waiter<void>;
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
  readonly #onUndelivered: ((item: T) => void) | undefined;
  readonly #subscribers: Set<ChannelCore<T>> = new Set();
  readonly #publishers: WaitQueue<Publisher> = new WaitQueue();
  #closed = false;
  #error: unknown = undefined;

  /**
   * @param options - `capacity`: each subscription's buffer, a positive integer or `Infinity`;
   *   `onUndelivered`, optional.
   * @throws `RangeError` for a bad capacity; `TypeError` for options of the wrong type.
   */
  constructor(options: BroadcastOptions<T>) {
    if (typeof options !== "object" || options === null) {
      throw typeError("options", "an object", options);
    }
    const { capacity, onUndelivered } = options;
    assertConcurrency(capacity, "capacity");
    if (onUndelivered !== undefined) assertFunction(onUndelivered, "onUndelivered");
    this.#capacity = capacity;
    this.#onUndelivered = onUndelivered;
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
    const channel = new Channel<T>({
      capacity: this.#capacity,
      onUndelivered: this.#onUndelivered,
    });
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
      const place = this.#publishers.push({ value, waiter });
      this.#pump();
      return () => this.#publishers.remove(place);
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
    while (this.#publishers.size > 0 && this.#hasRoom()) {
      const publisher = this.#publishers.shift() as Publisher;
      if (!publisher.waiter.resolve()) continue;
      // A snapshot: a receiver cancelled as it is handed the item may close the broadcast, and
      // the item then reaches each remaining subscription's onUndelivered instead of vanishing.
      for (const core of [...this.#subscribers]) core.deliver(publisher.value as T);
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
    for (const { waiter } of this.#publishers.takeAll()) {
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
