export { type Clock, type TimerHandle, systemClock } from "./clock.ts";
export {
  type CancelSource,
  type CancelledErrorOptions,
  CancelledError,
  TaskGroupError,
  TimeoutError,
  isCancellation,
} from "./errors.ts";
export { type Scope, isScope } from "./scope.ts";
export { type Task, type TaskEvent, type TaskObserver, type TaskState, type TaskStats } from "./task.ts";
export { type Register, type WaitOptions, type Waiter, suspend } from "./suspend.ts";
export { checkpoint } from "./checkpoint.ts";
export { type RunOptions, run } from "./run.ts";
export {
  type CancelScopeOptions,
  cancelScope,
  failAfter,
  failAt,
  moveOnAfter,
  moveOnAt,
} from "./cancel-scope.ts";
export { type SpawnOptions, type TaskGroup, taskGroup } from "./task-group.ts";
export { type TaskFunction, type TaskResults, gather } from "./gather.ts";
export { race } from "./race.ts";
export { type MapOptions, map } from "./map.ts";
export { type TaskSnapshot, formatTaskTree, observeTasks, taskStats, taskTree } from "./task-tree.ts";
export { Event } from "./event.ts";
export { Lock } from "./lock.ts";
export { Semaphore } from "./semaphore.ts";
export { Condition } from "./condition.ts";
export { Barrier } from "./barrier.ts";
export { Limiter, type LimiterOptions, type LimiterRunOptions } from "./limiter.ts";
