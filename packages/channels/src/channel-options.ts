import { assertFunction, expectedMessage, typeError } from "@weft/core/internal";
import { ChannelCore, type Overflow } from "./internal/channel-core.ts";

export type { Overflow } from "./internal/channel-core.ts";

/**
 * Options of the {@link Channel} constructor.
 * @example
 * ```ts
 * import { Channel, type ChannelOptions } from "@weft/channels";
 *
 * const options: ChannelOptions<string> = {
 *   capacity: 1,
 *   overflow: "drop-newest",
 *   onUndelivered: (line) => console.log("dropped", line), // dropped b
 * };
 * const lines = new Channel(options);
 * lines.trySend("a");
 * lines.trySend("b");
 * console.log(lines.size); // 1
 * ```
 */
export interface ChannelOptions<T> {
  /** How many items the buffer holds: 0 (default) is a rendezvous, `Infinity` is unbounded. */
  capacity?: number | undefined;
  /**
   * What a send does when the buffer is full: `"wait"` (default) blocks; `"drop-newest"` drops
   * the item being sent; `"drop-oldest"` evicts the oldest buffered item. A rendezvous channel
   * only allows `"wait"`.
   */
  overflow?: Overflow | undefined;
  /**
   * Called once for each item the channel took from a sender and will never hand to a receiver:
   * dropped by `overflow`, left buffered by `close(error)`, or caught mid-handoff (its sender had
   * completed, the receiver it was going to was cancelled at that instant, and the channel was
   * closed with an error meanwhile). A send that was cancelled keeps its item: it is not passed
   * here. An error it throws is reported as an uncaught error (rethrown in a microtask) and the
   * channel carries on.
   */
  onUndelivered?: ((item: T) => void) | undefined;
}

/**
 * A snapshot of a channel's state, from {@link Channel.stats}.
 * @example
 * ```ts
 * import { Channel, type ChannelStats } from "@weft/channels";
 *
 * const channel = new Channel<number>(4);
 * channel.trySend(1);
 * channel.trySend(2);
 * channel.tryReceive();
 * const stats: ChannelStats = channel.stats();
 * console.log(stats.size, stats.peak, stats.capacity); // 1 2 4
 * ```
 */
export interface ChannelStats {
  /** Items buffered. */
  readonly size: number;
  /** The buffer's capacity. */
  readonly capacity: number;
  /** Senders blocked in `send` (or a select send case). */
  readonly waitingSenders: number;
  /** Receivers blocked in `receive` (or a select receive case). */
  readonly waitingReceivers: number;
  /** The largest number of items the buffer has held. */
  readonly peak: number;
}

const OVERFLOWS: readonly string[] = ["wait", "drop-newest", "drop-oldest"];

function readCapacity(value: unknown): number {
  if (value === undefined) return 0;
  if (
    value === Number.POSITIVE_INFINITY ||
    (Number.isSafeInteger(value) && (value as number) >= 0)
  ) {
    return value as number;
  }
  const message = expectedMessage("capacity", "a non-negative integer or Infinity", value);
  throw typeof value === "number" ? new RangeError(message) : new TypeError(message);
}

/**
 * The state of a new channel, from the constructor's argument, checked.
 * @internal
 */
export function coreFromOptions<T>(options: unknown): ChannelCore<T> {
  if (typeof options === "number" || options === undefined) {
    return new ChannelCore<T>(readCapacity(options), "wait", undefined);
  }
  if (typeof options !== "object" || options === null) {
    throw typeError("options", "a capacity or an options object", options);
  }
  const { capacity: given, overflow = "wait", onUndelivered } = options as ChannelOptions<T>;
  const capacity = readCapacity(given);
  if (typeof overflow !== "string" || !OVERFLOWS.includes(overflow)) {
    throw typeError("overflow", '"wait", "drop-newest" or "drop-oldest"', overflow);
  }
  if (capacity === 0 && overflow !== "wait") {
    throw new RangeError(
      expectedMessage("overflow", '"wait" on a rendezvous channel (capacity 0)', overflow),
    );
  }
  if (onUndelivered !== undefined) assertFunction(onUndelivered, "onUndelivered");
  return new ChannelCore<T>(capacity, overflow, onUndelivered);
}
