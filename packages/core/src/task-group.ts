import { ChildScope } from "./child-scope.ts";
import { ChildTask, type TaskOwner } from "./child-task.ts";
import { CancelledError, TaskGroupError } from "./errors.ts";
import { hasExitCleanups, runExitCleanups } from "./internal/exit-cleanups.ts";
import { assertFunction, assertOptionalString, assertOptions } from "./internal/validate.ts";
import { toScope } from "./is-scope.ts";
import type { Named, ScopeImpl } from "./scope.ts";
import { exitedError, markBlocked } from "./suspend.ts";
import { TaskImpl } from "./task.ts";
import type { Scope, Task } from "./types.ts";
import { waitAny } from "./wait-any.ts";

/**
 * Options of `spawn` and `start`.
 * @example
 * ```ts
 * import { run, type SpawnOptions, type TaskGroup, taskGroup } from "@weft/core";
 *
 * await run(async (scope) => {
 *   const name = await taskGroup(scope, async (group: TaskGroup) => {
 *     const options: SpawnOptions = { name: "worker" };
 *     const task = group.spawn(async () => "ok", options);
 *     await task.result;
 *     return task.name;
 *   });
 *   console.log(name); // worker
 * });
 * ```
 */
export interface SpawnOptions {
  /** The task's name in dumps; defaults to the function's name, else `"task"`. */
  name?: string | undefined;
}

/**
 * A nursery of concurrent tasks, open while {@link taskGroup}'s body runs and until every task it
 * holds has finished.
 * @example
 * ```ts
 * import { run, type SpawnOptions, type TaskGroup, taskGroup } from "@weft/core";
 *
 * await run(async (scope) => {
 *   const name = await taskGroup(scope, async (group: TaskGroup) => {
 *     const options: SpawnOptions = { name: "worker" };
 *     const task = group.spawn(async () => "ok", options);
 *     await task.result;
 *     return task.name;
 *   });
 *   console.log(name); // worker
 * });
 * ```
 */
export interface TaskGroup {
  /** The group's scope: the body runs in it, and every task's scope is its child. */
  readonly scope: Scope;
  /**
   * Starts `fn` as a new task. `fn` is never called synchronously: it starts once the caller reaches
   * its next `await`. A throw inside `fn`, synchronous or not, is a task failure.
   * @param fn - Runs with the task's own scope.
   * @param options - The task's name.
   * @returns The task.
   * @throws `TypeError` when `fn` is not a function; `Error` when the group has finished.
   */
  spawn<T>(fn: (scope: Scope) => Promise<T> | T, options?: SpawnOptions): Task<T>;
  /**
   * Starts `fn` as a new task and waits until it calls `started(value)`; the task then keeps running
   * in the group. If `fn` throws before that, or returns without calling it, `start` rejects and
   * the group is not failed by it.
   * @param fn - Runs with the task's scope and the `started` callback.
   * @param options - The task's name.
   * @returns The value passed to `started`.
   * @throws `Error` when the group has finished.
   */
  start<V>(
    fn: (scope: Scope, started: (value: V) => void) => Promise<unknown>,
    options?: SpawnOptions,
  ): Promise<V>;
  /**
   * Waits for the first of `tasks` to finish and resolves with that task, leaving the others
   * running (asyncio's `wait(tasks, return_when=FIRST_COMPLETED)`); read its outcome from
   * `task.result`. A task that has already finished wins at once (the first in list order).
   *
   * The wait is a checkpoint in `scope` (default: the group's scope): cancelled, it rejects with
   * the `CancelledError`. A failing task still fails the group: its failure cancels the group's
   * scope, so a wait in the group (or below) rejects with that cancellation and the group throws
   * its `TaskGroupError`, as always. A task cancelled on its own (`task.cancel()`) counts as finished.
   * @param tasks - A non-empty list of tasks spawned into this group.
   * @param scope - The scope to wait in, when it is not the group's (a task's own scope).
   * @returns The first task of `tasks` to finish.
   * @throws `RangeError` (synchronously) for an empty list; `TypeError` for a value that is not a
   *   task of this group, or a bad `scope`.
   * @example
   * ```ts
   * import { run, taskGroup } from "@weft/core";
   * import { sleep, VirtualClock } from "@weft/timers";
   *
   * const clock = new VirtualClock();
   * await run(
   *   (scope) =>
   *     taskGroup(scope, async (group) => {
   *       const slow = group.spawn(async (s) => (await sleep(20, s), "slow"));
   *       const fast = group.spawn(async (s) => (await sleep(10, s), "fast"));
   *       const first = group.waitAny([slow, fast]);
   *       await clock.advance(10);
   *       console.log(await (await first).result, slow.done); // fast false
   *       await clock.advance(10);
   *       console.log(await slow.result); // slow
   *     }),
   *   { clock },
   * );
   * ```
   */
  waitAny<T extends Task<unknown>>(tasks: Iterable<T>, scope?: Scope): Promise<T>;
  /**
   * Cancels the body and every task; the group then exits without throwing (unless a task failed).
   * @param reason - Becomes the `CancelledError`'s `reason`.
   */
  cancel(reason?: unknown): void;
}

/** The `start` handshake of a task: whether it called `started`, and how to fail the `start` call. */
interface Starter {
  started: boolean;
  reject(error: unknown): void;
}

/** Checks spawn options; returns the task's name, or `fn` to name it after the function (else `"task"`). */
function taskName(options: SpawnOptions | undefined, fn: Named): string | Named {
  assertOptions(options, "options");
  const name = options?.name;
  assertOptionalString(name, "name");
  return name ?? fn;
}

/** A task group is its own scope, as a task is: the group's tasks are its children. */
class TaskGroupImpl extends ChildScope implements TaskGroup, TaskOwner {
  live = 0;
  failures: unknown[] = [];
  /** The first cancellation of this group (or an ancestor) seen leaving the body or a task. */
  cancellation: unknown = undefined;
  /** Called when the last task has finished; set only once the body is done (by `join`). */
  #onAllDone: (() => void) | undefined = undefined;
  /** The handshakes of tasks started through `start` that have not called `started` yet. */
  #starters: Map<Task<unknown>, Starter> | undefined = undefined;

  constructor(parent: ScopeImpl) {
    super(parent, "taskGroup");
  }

  get scope(): ScopeImpl {
    return this;
  }

  spawn<T>(fn: (scope: Scope) => Promise<T> | T, options?: SpawnOptions): Task<T> {
    assertFunction(fn, "fn");
    const name = taskName(options, fn);
    this.#assertOpen();
    return this.#spawn(fn, name, undefined);
  }

  start<V>(
    fn: (scope: Scope, started: (value: V) => void) => Promise<unknown>,
    options?: SpawnOptions,
  ): Promise<V> {
    assertFunction(fn, "fn");
    this.#assertOpen();
    return new Promise<V>((resolve, reject) => {
      // Bad options reject before the caller is marked blocked.
      const name = taskName(options, fn);
      const unblock = markBlocked(this, "TaskGroup.start");
      const starter: Starter = {
        started: false,
        reject: (error) => {
          unblock();
          reject(error);
        },
      };
      const started = (value: V): void => {
        if (starter.started) throw new Error("started() was called twice");
        starter.started = true;
        unblock();
        resolve(value);
      };
      this.#spawn((scope) => fn(scope, started), name, starter);
    });
  }

  waitAny<T extends Task<unknown>>(tasks: Iterable<T>, scope?: Scope): Promise<T> {
    return waitAny(this, tasks, scope);
  }

  #assertOpen(): void {
    if (this.exited) {
      throw new Error(
        "Cannot spawn into a task group that has finished: its body and tasks have all exited",
      );
    }
  }

  #spawn<T>(
    fn: (scope: Scope) => Promise<T> | T,
    name: string | Named,
    starter: Starter | undefined,
  ): ChildTask<T> {
    const task = new ChildTask(this, fn, name);
    if (starter !== undefined) {
      this.#starters ??= new Map();
      this.#starters.set(task, starter);
    }
    this.live++;
    this.runtime.schedule(task);
    return task;
  }

  /** Records an error that left the body or a task. */
  failed(error: unknown): void {
    if (CancelledError.is(error) && this.error !== undefined && this.related(error)) {
      if (this.cancellation === undefined) this.cancellation = error;
      return;
    }
    // The body rethrowing a failed task's error (from `await task.result`) is the same failure.
    const isObject = (typeof error === "object" && error !== null) || typeof error === "function";
    if (isObject && this.failures.includes(error)) return;
    this.failures.push(error);
    if (this.failures.length === 1) this.cancelWith("failure", error);
  }

  childDone(task: Task<unknown>, ok: boolean, outcome: unknown, absorbed: boolean): void {
    const starter = this.#starters?.get(task);
    if (starter !== undefined) this.#starters?.delete(task);
    if (starter !== undefined && !starter.started) {
      starter.started = true;
      // A cancellation before started() rejects start with the CancelledError itself.
      starter.reject(
        ok ? new Error(`Task "${task.name}" returned without calling started()`) : outcome,
      );
    } else if (!ok && !absorbed) this.failed(outcome);
    if (--this.live === 0) this.#onAllDone?.();
  }

  /** Waits for every task to finish; the wait cannot be cancelled (the group cancels its tasks instead). */
  join(): Promise<void> {
    if (this.live === 0) return Promise.resolve();
    const unblock = markBlocked(this, "TaskGroup.join");
    return new Promise<void>((resolve) => {
      this.#onAllDone = () => {
        this.#onAllDone = undefined;
        unblock();
        resolve();
      };
    });
  }
}

/** Keeps the hidden classes of groups and their tasks alive between runs (see `TaskImpl.anchor`). */
export const groupAnchor: ChildTask<undefined> = (() => {
  const root = TaskImpl.anchor;
  const group = new TaskGroupImpl(root);
  return new ChildTask(group, () => undefined, "anchor");
})();

/**
 * Runs `body` with a new {@link TaskGroup} and waits, when the body returns, for every task spawned
 * into it (trio's nursery, asyncio's TaskGroup).
 *
 * The first failure (a task or the body throwing anything that is not this group's own
 * cancellation) cancels the group's scope, and so the body and every other task. Once everything
 * has settled the group throws a {@link TaskGroupError} holding every failure, identity kept, in
 * completion order; one failure is wrapped too. If the group is cancelled from outside and nothing
 * failed, the outer `CancelledError` propagates unwrapped. After `group.cancel()` the group
 * resolves with the body's value, or `undefined` if the body was interrupted.
 *
 * @param parent - The enclosing scope.
 * @param body - Spawns tasks into the group; its scope is `group.scope`.
 * @returns The body's value, or `undefined` when the group absorbed its own cancellation.
 * @throws {@link TaskGroupError} when the body or a task failed.
 * @example
 * ```ts
 * import { run, taskGroup } from "@weft/core";
 *
 * await run(async (scope) => {
 *   const order: string[] = [];
 *   await taskGroup(scope, async (group) => {
 *     group.spawn(async () => order.push("a"));
 *     group.spawn(async () => order.push("b"));
 *   });
 *   console.log(order); // [ 'a', 'b' ]
 * });
 * ```
 */
export function taskGroup<T>(
  parent: Scope,
  body: (group: TaskGroup) => Promise<T>,
): Promise<T | undefined> {
  const outer = toScope(parent, "parent");
  assertFunction(body, "body");
  if (outer.exited) return Promise.reject(exitedError(outer, "taskGroup"));
  return runGroup(new TaskGroupImpl(outer), body);
}

async function runGroup<T>(
  group: TaskGroupImpl,
  body: (group: TaskGroup) => Promise<T>,
): Promise<T | undefined> {
  let value: T | undefined;
  try {
    value = await body(group);
  } catch (error) {
    group.failed(error);
  }
  await group.join();
  if (hasExitCleanups(group)) {
    const failure = await runExitCleanups(group);
    if (failure !== undefined) group.failed(failure.error);
  }
  group.exit();
  if (group.failures.length > 0) throw new TaskGroupError(group.failures);
  const cancellation = group.cancellation;
  if (cancellation === undefined) return value;
  if (!group.absorbs(cancellation)) throw cancellation;
  group.markCaught();
  return value;
}
