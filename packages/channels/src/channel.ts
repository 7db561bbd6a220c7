import { suspend, type WaitOptions } from "@weft/core";
import { assertOptions, completesNow, passesCheckpoint } from "@weft/core/internal";
import { type ChannelOptions, type ChannelStats, coreFromOptions } from "./channel-options.ts";
import { ALWAYS, type ChannelCore, NONE } from "./internal/channel-core.ts";
import { waitToReceive, waitToSend } from "./internal/channel-waits.ts";
import { type END, receiveIterator } from "./internal/receive-iterator.ts";

/** The promise of every send that completed at once. */
const SENT: Promise<void> = Promise.resolve();

/** A receive that completes at once, through a scope: see `completesNow`. */
class CheckpointCompletion {
  readonly #options: WaitOptions;

  constructor(options: WaitOptions) {
    this.#options = options;
  }

  resolve(): boolean {
    return completesNow(this.#options);
  }
}

let coreOf: <T>(channel: Channel<T>) => ChannelCore<T>;

/** The internal state of `channel`, for `select` and `Broadcast`. @internal */
export function channelCore<T>(channel: Channel<T>): ChannelCore<T> {
  return coreOf(channel);
}

/** Whether `value` is a {@link Channel} of this package. @internal */
export function isChannel(value: unknown): value is Channel<unknown> {
  return value instanceof Channel;
}

/**
 * A channel for passing items between tasks (Go's channels, trio's memory channels): bounded,
 * unbounded or rendezvous, closable, async-iterable.
 *
 * Blocked senders and receivers are served in arrival order and items leave in send order; a send
 * to a waiting receiver hands the item straight over. Every `send` and `receive` is a checkpoint,
 * and cancellation means it did not happen: a cancelled send delivered nothing, a cancelled
 * receive consumed nothing.
 *
 * @example
 * ```ts
 * import { run, taskGroup } from "@weft/core";
 * import { Channel } from "@weft/channels";
 *
 * const channel = new Channel<number>();
 * const received: number[] = [];
 * await run((scope) =>
 *   taskGroup(scope, async (group) => {
 *     group.spawn(async (s) => {
 *       for (const n of [1, 2, 3]) await channel.send(n, s);
 *       channel.close();
 *     });
 *     for await (const n of channel) received.push(n);
 *   }),
 * );
 * console.log(received); // [ 1, 2, 3 ]
 * ```
 */
export class Channel<T> implements AsyncIterable<T> {
  readonly #core: ChannelCore<T>;

  static {
    coreOf = <T>(channel: Channel<T>) => channel.#core;
  }

  /**
   * @param options - The capacity (0, the default, is a rendezvous; `Infinity` is unbounded), or
   *   `{ capacity, overflow, onUndelivered }`.
   * @throws `RangeError` for a negative or fractional capacity, or a dropping `overflow` on a
   *   rendezvous channel; `TypeError` for options of the wrong type.
   */
  constructor(options?: number | ChannelOptions<T>) {
    this.#core = coreFromOptions<T>(options);
  }

  /** Whether `close` has been called. */
  get closed(): boolean {
    return this.#core.closed;
  }

  /** How many items are buffered. */
  get size(): number {
    return this.#core.buffer.size;
  }

  /** How many items the buffer holds: 0 for a rendezvous, `Infinity` when unbounded. */
  get capacity(): number {
    return this.#core.capacity;
  }

  /**
   * A snapshot of the channel's state.
   * @returns Buffered items, capacity, blocked senders and receivers, the buffer's peak size.
   * @example
   * ```ts
   * import { Channel } from "@weft/channels";
   *
   * const channel = new Channel<string>(2);
   * channel.trySend("a");
   * const { size, peak, waitingSenders } = channel.stats();
   * console.log(size, peak, waitingSenders); // 1 1 0
   * ```
   */
  stats(): ChannelStats {
    const core = this.#core;
    return {
      size: core.buffer.size,
      capacity: core.capacity,
      waitingSenders: core.senders.size,
      waitingReceivers: core.receivers.size,
      peak: core.peak,
    };
  }

  /**
   * Sends `value`: hands it to a waiting receiver, or buffers it, or waits for room (with
   * `overflow: "wait"`; the other policies drop an item instead and resolve at once).
   *
   * A checkpoint: with a cancelled scope it rejects at once. Cancelled while waiting, it rejects
   * with the scope's `CancelledError` (or the signal's reason) and the value is not delivered.
   *
   * @param value - The item.
   * @param options - A scope or `{ signal }`; omitted, the wait cannot be cancelled.
   * @returns A promise that resolves once the item is handed over or buffered.
   * @throws `ChannelClosedError` when the channel is closed, or closes while the send waits.
   * @example
   * ```ts
   * import { run } from "@weft/core";
   * import { Channel } from "@weft/channels";
   *
   * const channel = new Channel<string>(1);
   * await run((scope) => channel.send("hello", scope));
   * console.log(channel.tryReceive()); // { ok: true, value: 'hello' }
   * ```
   */
  send(value: T, options?: WaitOptions): Promise<void> {
    const core = this.#core;
    // Ready now (a waiting receiver or room in the buffer) and not cancelled: no wait to set up.
    if (!core.closed && core.canSend() && passesCheckpoint(options) && completesNow(options)) {
      core.deliver(value);
      return SENT;
    }
    return suspend<void>(options, "Channel.send", (waiter) => waitToSend(core, value, waiter));
  }

  /**
   * Sends `value` if that completes now (a waiting receiver, room in the buffer, or a dropping
   * overflow policy); never blocks.
   * @param value - The item.
   * @returns `true` if the item was sent (or dropped by the overflow policy), `false` if the
   *   channel is full or closed.
   * @example
   * ```ts
   * import { Channel } from "@weft/channels";
   *
   * const channel = new Channel<number>(1);
   * console.log(channel.trySend(1), channel.trySend(2)); // true false
   * ```
   */
  trySend(value: T): boolean {
    return this.#core.send(value, ALWAYS) === "sent";
  }

  /**
   * Receives the next item, waiting for one if none is ready.
   *
   * A checkpoint: with a cancelled scope it rejects at once. Cancelled while waiting, it rejects
   * with the scope's `CancelledError` (or the signal's reason) and consumes nothing.
   *
   * @param options - A scope or `{ signal }`; omitted, the wait cannot be cancelled.
   * @returns A promise for the item.
   * @throws `ChannelClosedError` once the channel is closed and drained, or the error given to
   *   `close(error)`.
   * @example
   * ```ts
   * import { run } from "@weft/core";
   * import { Channel } from "@weft/channels";
   *
   * const channel = new Channel<number>(Infinity);
   * channel.trySend(42);
   * console.log(await run((scope) => channel.receive(scope))); // 42
   * ```
   */
  receive(options?: WaitOptions): Promise<T> {
    const core = this.#core;
    // The commonest case first, in full here: a buffered item, no options.
    if (options === undefined && core.buffer.size > 0) return Promise.resolve(core.takeNow() as T);
    return this.#receive(options, false) as Promise<T>;
  }

  #receive(options: WaitOptions | undefined, endOnClose: boolean): Promise<T | typeof END> {
    const core = this.#core;
    // An item is ready (buffered, or a waiting sender's) and the caller is not cancelled: take it
    // without a wait. If every waiting sender turns out to be gone, the wait below is set up.
    if ((core.buffer.size > 0 || core.senders.size > 0) && passesCheckpoint(options)) {
      if (options === undefined) {
        const value = core.takeNow();
        if (value !== NONE) return Promise.resolve(value);
      } else {
        // The item is committed only if no deadline due now cancels the caller first.
        const taken = core.receive(new CheckpointCompletion(options));
        if (taken !== "closed" && taken.ok) return Promise.resolve(taken.value);
      }
    }
    return suspend<T | typeof END>(options, "Channel.receive", (waiter) =>
      waitToReceive(core, waiter, endOnClose),
    );
  }

  /**
   * Receives an item if one is ready now; never blocks.
   * @returns `{ ok: true, value }`, or `{ ok: false }` when nothing is ready or the channel is
   *   closed and drained.
   * @example
   * ```ts
   * import { Channel } from "@weft/channels";
   *
   * const channel = new Channel<number>(1);
   * channel.trySend(7);
   * console.log(channel.tryReceive(), channel.tryReceive()); // { ok: true, value: 7 } { ok: false }
   * ```
   */
  tryReceive(): { ok: true; value: T } | { ok: false } {
    const taken = this.#core.receive(ALWAYS);
    return taken === "closed" || !taken.ok ? { ok: false } : { ok: true, value: taken.value };
  }

  /**
   * Closes the channel; idempotent, synchronous, never throws. Blocked senders reject with
   * `ChannelClosedError` and their values are not delivered. After a plain `close()` buffered
   * items stay receivable; then receives reject with `ChannelClosedError` and iteration ends.
   * With an `error`, buffered items are discarded (each reaches `onUndelivered`) and receives and
   * iteration reject with `error` at once.
   * @param error - Optional: the error receivers get instead of `ChannelClosedError` (`undefined`
   *   is a plain close).
   * @example
   * ```ts
   * import { Channel } from "@weft/channels";
   *
   * const channel = new Channel<number>(2);
   * channel.trySend(1);
   * channel.close();
   * console.log(channel.closed, channel.tryReceive(), channel.trySend(2)); // true { ok: true, value: 1 } false
   * ```
   */
  close(error?: unknown): void {
    this.#core.close(error, error !== undefined);
  }

  /**
   * Iterates over the items with each receive bound to `options`; the iteration ends once the
   * channel is closed and drained (or throws the `close` error). Breaking out consumes nothing
   * beyond what was yielded and does not close the channel.
   * @param options - A scope or `{ signal }` for every receive.
   * @returns An async iterator of the items.
   * @example
   * ```ts
   * import { run } from "@weft/core";
   * import { Channel } from "@weft/channels";
   *
   * const channel = new Channel<number>(Infinity);
   * for (const n of [1, 2, 3]) channel.trySend(n);
   * await run(async (scope) => {
   *   for await (const n of channel.iterate(scope)) {
   *     console.log(n); // 1
   *     break;
   *   }
   * });
   * console.log(channel.size); // 2
   * ```
   */
  iterate(options?: WaitOptions): AsyncIterableIterator<T, undefined> {
    assertOptions(options, "options");
    return receiveIterator(() => this.#receive(options, true));
  }

  /**
   * Iterates over the items without a scope; see {@link Channel.iterate}.
   * @returns An async iterator of the items.
   * @example
   * ```ts
   * import { Channel } from "@weft/channels";
   *
   * const channel = new Channel<string>(2);
   * channel.trySend("x");
   * channel.close();
   * for await (const item of channel) console.log(item); // x
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T, undefined> {
    return this.iterate();
  }

  get [Symbol.toStringTag](): string {
    return "Channel";
  }
}
