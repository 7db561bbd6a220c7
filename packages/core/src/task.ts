import { ChildScope } from "./child-scope.ts";
import { systemClock } from "./clock.ts";
import { BLOCKED, DONE, PENDING, RUNNING, TASK_STATE } from "./flags.ts";
import { Runtime } from "./runtime.ts";
import { type Named, ScopeImpl, type ScopeTask } from "./scope.ts";
import { Failure, type Outcome, TaskResult, UNSETTLED } from "./task-result.ts";
import type { Task, TaskState } from "./types.ts";

/**
 * The implementation behind {@link Task}: a task is its own scope, and the task of every scope
 * below it up to the next task. Internal to core; a task group's children are `ChildTask`s
 * (task-group.ts), the root of a run is a plain `TaskImpl` (run.ts).
 *
 * Its state is in the scope's `flags` (flags.ts), its outcome once it ends, and a
 * {@link LazyTaskState} made once it first blocks or somebody reads `result`. (Every field counts:
 * 100,000 tasks are 100,000 of these, and past about 14 fields V8 stores the rest out of line.)
 */
/** What a task needs only once it blocks or somebody reads its `result`. */
interface LazyTaskState<T> {
  /** The labels of the Weft waits it is blocked in, innermost last. */
  readonly labels: string[];
  result: TaskResult<T> | undefined;
}

export class TaskImpl<T> extends ScopeImpl implements Task<T>, ScopeTask {
  /**
   * A detached root task with one child scope, kept for the life of the module. V8 forgets the
   * hidden classes of a class once none of its instances is alive, and throws away the optimised
   * code built on them; without an anchor, every run after an idle spell (a test, a CLI command)
   * would start cold. It is never scheduled and holds no timer or listener.
   */
  static readonly anchor: TaskImpl<void> = anchored(
    new TaskImpl<void>(undefined, new Runtime(systemClock), "anchor"),
  );
  readonly id: number;
  #outcome: Outcome<T> = UNSETTLED;
  #lazy: LazyTaskState<T> | undefined = undefined;

  constructor(parent: ScopeImpl | undefined, runtime: Runtime, name: string | Named | undefined) {
    super(parent, runtime, name);
    this.id = runtime.nextId++;
    runtime.live++;
  }

  /** A task's code runs in its own scope. */
  get task(): this {
    return this;
  }

  /** Tells observers about the new task; called by the creator once the task is fully built. */
  announce(): void {
    if (this.runtime.observers !== undefined) this.runtime.emit("spawned", this, undefined);
  }

  override defaultName(): string {
    return "task";
  }

  get scope(): ScopeImpl {
    return this;
  }

  get state(): TaskState {
    switch (this.flags & TASK_STATE) {
      case PENDING:
        return "pending";
      case RUNNING:
        return "running";
      case BLOCKED:
        return "blocked";
      default:
        return "done";
    }
  }

  get done(): boolean {
    return (this.flags & TASK_STATE) === DONE;
  }

  get blockedOn(): readonly string[] {
    return this.#lazy === undefined ? [] : this.#lazy.labels.slice();
  }

  /** The task's {@link LazyTaskState}, made on first need. (No `#private` methods here: see ChildTask.) */
  lazyState(): LazyTaskState<T> {
    this.#lazy ??= { labels: [], result: undefined };
    return this.#lazy;
  }

  get result(): Promise<T> {
    const lazy = this.lazyState();
    lazy.result ??= new TaskResult<T>(this, this.#outcome);
    return lazy.result.promise;
  }

  /** Counts an await on this unfinished task's result. */
  joined(): void {
    const result = this.#lazy?.result;
    if (result === undefined) return;
    result.joins++;
    this.runtime.joins++;
  }

  /** Marks the task as running (its function has been called). */
  begin(): void {
    if ((this.flags & TASK_STATE) === PENDING) this.flags |= RUNNING;
  }

  block(label: string): void {
    if (this.done) return;
    const labels = this.lazyState().labels;
    labels.push(label);
    if (labels.length === 1) {
      this.flags = (this.flags & ~TASK_STATE) | BLOCKED;
      this.runtime.blocked++;
      this.runtime.emit("blocked", this, label);
    }
  }

  unblock(label: string): void {
    const labels = this.#lazy?.labels;
    if (this.done || labels === undefined) return;
    const index = labels.lastIndexOf(label);
    if (index < 0) return;
    labels.splice(index, 1);
    if (labels.length === 0) {
      this.flags = (this.flags & ~TASK_STATE) | RUNNING;
      this.runtime.blocked--;
      this.runtime.emit("resumed", this, label);
    }
  }

  /** The task ended with `value`: settles `result` and tells observers. */
  fulfil(value: T): void {
    this.finish(value);
  }

  /** The task ended with `error`: settles `result` and tells observers. */
  fail(error: unknown): void {
    this.finish(new Failure(error));
  }

  /** Records how the task ended, settles `result` and tells observers. */
  finish(outcome: Outcome<T>): void {
    if (this.done) return;
    const runtime = this.runtime;
    const lazy = this.#lazy;
    if (lazy !== undefined && lazy.labels.length > 0) {
      lazy.labels.length = 0;
      runtime.blocked--;
    }
    this.flags = (this.flags & ~TASK_STATE) | DONE;
    this.#outcome = outcome;
    runtime.live--;
    const result = lazy?.result;
    if (result !== undefined) {
      runtime.joins -= result.joins;
      result.joins = 0;
      result.settle(outcome);
    }
    if (runtime.observers !== undefined) runtime.emit("finished", this, undefined);
  }
}

function anchored(task: TaskImpl<void>): TaskImpl<void> {
  new ChildScope(task, "anchor");
  return task;
}
