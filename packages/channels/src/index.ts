/**
 * Cancellable channels, `select`, and broadcast for Weft.
 * @packageDocumentation
 */

export { Broadcast, type BroadcastOptions, Subscription } from "./broadcast.ts";
export {
  Channel,
  type ChannelOptions,
  type ChannelStats,
  type Overflow,
} from "./channel.ts";
export { ChannelClosedError } from "./errors.ts";
export { LifoQueue } from "./lifo-queue.ts";
export { PriorityQueue } from "./priority-queue.ts";
export { Queue } from "./queue.ts";
export { QueueEmptyError, QueueFullError, QueueShutDownError } from "./queue-errors.ts";
export {
  onReceive,
  onSend,
  type ReceiveCase,
  type SelectCase,
  type SelectCases,
  type SelectOptions,
  type SelectResult,
  type SendCase,
  select,
  trySelect,
} from "./select.ts";
