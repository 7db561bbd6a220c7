/**
 * Cancellable channels, `select`, and broadcast for Weft.
 * @packageDocumentation
 */

export { Broadcast, type BroadcastOptions } from "./broadcast.ts";
export { Channel } from "./channel.ts";
export type { ChannelOptions, ChannelStats, Overflow } from "./channel-options.ts";
export { ChannelClosedError } from "./errors.ts";
export { LifoQueue } from "./lifo-queue.ts";
export { PriorityQueue } from "./priority-queue.ts";
export { Queue } from "./queue.ts";
export { QueueEmptyError, QueueFullError, QueueShutDownError } from "./queue-errors.ts";
export { select, trySelect } from "./select.ts";
export {
  onReceive,
  onSend,
  type ReceiveCase,
  type SelectCase,
  type SelectCases,
  type SelectOptions,
  type SelectResult,
  type SendCase,
} from "./select-cases.ts";
export { Subscription } from "./subscription.ts";
