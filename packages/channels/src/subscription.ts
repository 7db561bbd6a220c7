import type { WaitOptions } from "@weft/core";
import type { Channel } from "./channel.ts";

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
   * @example
   * ```ts
   * import { run } from "@weft/core";
   * import { Broadcast } from "@weft/channels";
   *
   * const broadcast = new Broadcast<number>({ capacity: 4 });
   * const subscription = broadcast.subscribe();
   * for (const n of [1, 2, 3]) await broadcast.publish(n);
   * broadcast.close();
   * const seen: number[] = [];
   * await run(async (scope) => {
   *   for await (const n of subscription.iterate(scope)) seen.push(n);
   * });
   * console.log(seen); // [ 1, 2, 3 ]
   * ```
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
   * @example
   * ```ts
   * import { Broadcast } from "@weft/channels";
   *
   * const broadcast = new Broadcast<string>({ capacity: 2 });
   * const subscription = broadcast.subscribe();
   * await broadcast.publish("a");
   * broadcast.close();
   * for await (const item of subscription) console.log(item); // a
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T, undefined> {
    return this.iterate();
  }

  get [Symbol.toStringTag](): string {
    return "Subscription";
  }
}
