import { hasBrand } from "@weft/core/internal";

const CHANNEL_CLOSED = Symbol.for("weft.ChannelClosedError");

/**
 * Thrown by an operation on a closed channel: a `send` (also one that was blocked when the channel
 * closed), and a `receive` once a plainly closed channel is drained.
 *
 * @example
 * ```ts
 * import { Channel, ChannelClosedError } from "@weft/channels";
 *
 * const channel = new Channel<number>();
 * channel.close();
 * try {
 *   await channel.send(1);
 * } catch (error) {
 *   console.log(ChannelClosedError.is(error)); // true
 * }
 * ```
 */
export class ChannelClosedError extends Error {
  /**
   * @param message - Defaults to "The channel is closed".
   * @param options - `cause`, as for `Error`.
   */
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message ?? "The channel is closed", options);
    this.name = "ChannelClosedError";
  }

  /**
   * Whether `value` is a `ChannelClosedError`, also one made by another copy of this package.
   * @param value - Anything.
   * @returns `true` for a `ChannelClosedError`.
   */
  static is(value: unknown): value is ChannelClosedError {
    return hasBrand(value, CHANNEL_CLOSED);
  }
}
Object.defineProperty(ChannelClosedError.prototype, CHANNEL_CLOSED, { value: true });
