import type { Clock } from "./clock.ts";

/*
 * The model of Weft in types: a tree of scopes, and the tasks whose code runs in them. The classes
 * behind these interfaces live in scope.ts and task.ts; everything else in core builds on them.
 */

/**
 * A node of the tree of cancellation. Every piece of Weft work runs inside a scope and receives it
 * explicitly, as Go code receives a context.
 *
 * A scope is cancelled when `cancel()` is called on it, when its `deadline` passes on its clock, or
 * when an ancestor is cancelled (unless a shielded scope lies between). Cancellation is
 * level-triggered: once a scope is cancelled, every Weft operation inside it throws
 * {@link CancelledError} until the scope's body has exited.
 *
 * A scope is structurally `{ signal, clock }`, so it can be passed wherever an `AbortSignal`
 * holder is expected (`fetch(url, scope)`) and to every Weft function taking wait options.
 * @example
 * ```ts
 * import { run, type Scope } from "@weft/core";
 *
 * await run(async (scope: Scope) => {
 *   console.log(scope.cancelled, scope.deadline); // false Infinity
 *   scope.cancel("done");
 *   console.log(scope.cancelled, scope.signal.aborted); // true true
 * });
 * ```
 */
export interface Scope {
  /** Aborts when this scope becomes cancelled; its `reason` is the {@link CancelledError}. Created on first read. */
  readonly signal: AbortSignal;
  /** The clock deadlines are measured on; inherited from the parent. */
  readonly clock: Clock;
  /** A name for task dumps and error messages. */
  readonly name: string;
  /** Effectively cancelled: by its own `cancel()`, its own deadline, or an unshielded ancestor. */
  readonly cancelled: boolean;
  /** `cancel()` was called on this scope, or its own deadline passed. */
  readonly cancelCalled: boolean;
  /** This scope absorbed a {@link CancelledError} when its body exited. */
  readonly cancelledCaught: boolean;
  /** This scope's own absolute deadline on `clock`; `Infinity` means none. Setting it reschedules. */
  deadline: number;
  /** When `true`, cancellation of ancestors does not reach this scope. Its own cancel still does. */
  shield: boolean;
  /**
   * Cancels this scope and every unshielded descendant. Idempotent, synchronous, never throws:
   * the first reason wins.
   * @param reason - Stored as the {@link CancelledError}'s `reason` and `cause`.
   */
  cancel(reason?: unknown): void;
}

/**
 * Where a task is in its life.
 * @example
 * ```ts
 * import { run, type TaskState, taskGroup } from "@weft/core";
 * import { sleep } from "@weft/timers";
 *
 * await run(async (scope) => {
 *   await taskGroup(scope, async (group) => {
 *     const task = group.spawn(async (s) => sleep(10, s));
 *     const before: TaskState = task.state;
 *     console.log(before); // pending
 *     await sleep(1, scope);
 *     console.log(task.state, task.blockedOn); // blocked [ 'sleep' ]
 *     task.cancel();
 *   });
 * });
 * ```
 */
export type TaskState = "pending" | "running" | "blocked" | "done";

/**
 * A child of a task group, returned by `spawn`.
 *
 * Its `result` never produces an unhandled rejection, whether or not anyone awaits it.
 * @example
 * ```ts
 * import { run, type Task, taskGroup } from "@weft/core";
 *
 * await run(async (scope) => {
 *   await taskGroup(scope, async (group) => {
 *     const task: Task<number> = group.spawn(async () => 42, { name: "answer" });
 *     console.log(task.name, task.done); // answer false
 *     console.log(await task.result, task.done); // 42 true
 *   });
 * });
 * ```
 */
export interface Task<T> {
  /** Unique within its run; the root task is 1. */
  readonly id: number;
  /** The name given to `spawn`, else the function's name, else `"task"`. */
  readonly name: string;
  /** The task's own scope: cancelling it cancels this task only. */
  readonly scope: Scope;
  /** Settles with the task's value or error. A task cancelled through `cancel()` rejects with `CancelledError`. */
  readonly result: Promise<T>;
  /** Whether the task has finished. */
  readonly done: boolean;
  /** `pending` until its function starts, `blocked` while in a Weft wait, `done` once finished. */
  readonly state: TaskState;
  /** The labels of the Weft waits the task is blocked in (`"sleep"`, `"Channel.receive"`, …). */
  readonly blockedOn: readonly string[];
  /**
   * Cancels this task only; the group is unaffected.
   * @param reason - Becomes the `CancelledError`'s `reason`.
   */
  cancel(reason?: unknown): void;
}

/**
 * A change in the life of a task, seen by {@link observeTasks}.
 * @example
 * ```ts
 * import { observeTasks, run, type TaskEvent, type TaskObserver, taskGroup } from "@weft/core";
 *
 * await run(async (scope) => {
 *   const seen: string[] = [];
 *   const observer: TaskObserver = (event: TaskEvent) => seen.push(`${event.type} ${event.task.name}`);
 *   const stop = observeTasks(scope, observer);
 *   await taskGroup(scope, async (group) => {
 *     group.spawn(async () => {}, { name: "child" });
 *   });
 *   stop();
 *   console.log(seen.filter((line) => line.endsWith("child"))); // [ 'spawned child', 'finished child' ]
 * });
 * ```
 */
export interface TaskEvent {
  /** `spawned` when created, `blocked`/`resumed` when entering or leaving Weft waits, `finished` at the end. */
  readonly type: "spawned" | "blocked" | "resumed" | "finished";
  /** The task, live: read it now for its current state. */
  readonly task: Task<unknown>;
  /** The wait's label, for `blocked` and `resumed`. */
  readonly label: string | undefined;
}

/**
 * A listener for {@link TaskEvent}s.
 * @example
 * ```ts
 * import { observeTasks, run, type TaskEvent, type TaskObserver, taskGroup } from "@weft/core";
 *
 * await run(async (scope) => {
 *   const seen: string[] = [];
 *   const observer: TaskObserver = (event: TaskEvent) => seen.push(`${event.type} ${event.task.name}`);
 *   const stop = observeTasks(scope, observer);
 *   await taskGroup(scope, async (group) => {
 *     group.spawn(async () => {}, { name: "child" });
 *   });
 *   stop();
 *   console.log(seen.filter((line) => line.endsWith("child"))); // [ 'spawned child', 'finished child' ]
 * });
 * ```
 */
export type TaskObserver = (event: TaskEvent) => void;

/**
 * Counters of one run, read by harnesses without walking the tree.
 * @example
 * ```ts
 * import { run, type TaskStats, taskStats } from "@weft/core";
 *
 * await run(async (scope) => {
 *   const stats: TaskStats = taskStats(scope);
 *   console.log(stats.live, stats.blocked); // 1 0
 * });
 * ```
 */
export interface TaskStats {
  /** Tasks not yet finished, the root included. */
  readonly live: number;
  /** Live tasks blocked in a Weft wait. */
  readonly blocked: number;
  /** Awaits on the `result` of tasks that have not finished yet. */
  readonly joins: number;
}
