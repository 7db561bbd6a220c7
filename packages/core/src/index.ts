export { asCompleted } from "./as-completed.ts";
export { Barrier } from "./barrier.ts";
export {
  type CancelScopeOptions,
  cancelScope,
  failAfter,
  failAt,
  moveOnAfter,
  moveOnAt,
} from "./cancel-scope.ts";
export { checkpoint } from "./checkpoint.ts";
export { type Clock, systemClock, type TimerHandle } from "./clock.ts";
export { Condition } from "./condition.ts";
export {
  CancelledError,
  type CancelledErrorOptions,
  type CancelSource,
  isCancellation,
  TaskGroupError,
  TimeoutError,
} from "./errors.ts";
export { Event } from "./event.ts";
export {
  type GatherOptions,
  gather,
  type SettledResults,
  type TaskFunction,
  type TaskResults,
} from "./gather.ts";
export { isScope } from "./is-scope.ts";
export { Limiter, type LimiterOptions, type LimiterRunOptions } from "./limiter.ts";
export { Lock } from "./lock.ts";
export { type MapOptions, map } from "./map.ts";
export { race } from "./race.ts";
export { type RunOptions, run } from "./run.ts";
export { Semaphore } from "./semaphore.ts";
export { type Register, suspend, type Waiter, type WaitOptions } from "./suspend.ts";
export { type SpawnOptions, type TaskGroup, taskGroup } from "./task-group.ts";
export {
  formatTaskTree,
  observeTasks,
  type TaskSnapshot,
  taskStats,
  taskTree,
} from "./task-tree.ts";
export type { Scope, Task, TaskEvent, TaskObserver, TaskState, TaskStats } from "./types.ts";
