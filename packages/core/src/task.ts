import { type Clock, systemClock } from "./clock.ts";
import { type Named, type Scope, ScopeImpl } from "./scope.ts";

/** Where a task is in its life. */
export type TaskState = "pending" | "running" | "blocked" | "done";

/**
 * A child of a task group, returned by `spawn`.
 *
 * Its `result` never produces an unhandled rejection, whether or not anyone awaits it.
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

/** A change in the life of a task, seen by {@link observeTasks}. */
export interface TaskEvent {
  /** `spawned` when created, `blocked`/`resumed` when entering or leaving Weft waits, `finished` at the end. */
  readonly type: "spawned" | "blocked" | "resumed" | "finished";
  /** The task, live: read it now for its current state. */
  readonly task: Task<unknown>;
  /** The wait's label, for `blocked` and `resumed`. */
  readonly label: string | undefined;
}

/** A listener for {@link TaskEvent}s. */
export type TaskObserver = (event: TaskEvent) => void;

/** Counters of one run, read by harnesses without walking the tree. */
export interface TaskStats {
  /** Tasks not yet finished, the root included. */
  readonly live: number;
  /** Live tasks blocked in a Weft wait. */
  readonly blocked: number;
  /** Awaits on the `result` of tasks that have not finished yet. */
  readonly joins: number;
}

function noop(): void {}

function report(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/** State shared by every scope and task of one `run`. */
export class Runtime {
  readonly clock: Clock;
  nextId = 1;
  live = 0;
  blocked = 0;
  joins = 0;
  /** Replaced, never mutated, when an observer comes or goes: `emit` can iterate it as it is. */
  observers: TaskObserver[] | undefined = undefined;
  root: TaskImpl<unknown> | undefined = undefined;
  /** Reorders, in place, tasks that became ready together (a harness's seeded exploration). */
  readonly shuffle: (<T>(items: T[]) => void) | undefined;
  /**
   * Tasks spawned but not started yet, in spawn order: chunks of at most {@link SLICE} tasks, so
   * that 100,000 spawns never grow (and copy) one large array.
   */
  #ready: Launchable[][] = [];
  #scheduled = false;
  readonly #flush = (): void => this.#launchReady();

  constructor(clock: Clock, shuffle?: <T>(items: T[]) => void) {
    this.clock = clock;
    this.shuffle = shuffle;
  }

  /** Queues `task` to start once the spawner reaches its next `await`. */
  schedule(task: Launchable): void {
    const ready = this.#ready;
    const last = ready[ready.length - 1];
    if (last !== undefined && last.length < SLICE) last.push(task);
    else ready.push([task]);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  /**
   * Starts the queued tasks in spawn order (or the harness's order). A large batch starts one
   * chunk per microtask, so that tasks which finish at once are collected young instead of 100,000
   * half-started tasks crowding the heap together.
   */
  #launchReady(): void {
    const ready = this.#ready;
    let batch = ready.shift() as Launchable[];
    if (this.shuffle !== undefined) {
      batch = batch.concat(...ready);
      ready.length = 0;
      this.shuffle(batch);
    }
    for (let i = 0; i < batch.length; i++) (batch[i] as Launchable).launch();
    if (ready.length > 0) queueMicrotask(this.#flush);
    else this.#scheduled = false;
  }

  emit(type: TaskEvent["type"], task: TaskImpl<unknown>, label: string | undefined): void {
    const observers = this.observers;
    if (observers === undefined) return;
    const event: TaskEvent = { type, task, label };
    for (const observer of observers) {
      try {
        observer(event);
      } catch (error) {
        report(error);
      }
    }
  }
}

const then = Promise.prototype.then;

/** Something {@link Runtime.schedule} starts: a spawned task. */
interface Launchable {
  launch(): void;
}

/** How many queued tasks start in one microtask. */
const SLICE = 256;

/** What a task keeps once somebody reads its `result`. */
interface ResultState<T> {
  promise: ResultPromise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
  joins: number;
}

/** The promise behind `task.result`: it tells the run when somebody awaits an unfinished task. */
class ResultPromise<T> extends Promise<T> {
  task: TaskImpl<T> | undefined;

  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  // biome-ignore lint/suspicious/noThenProperty: a promise subclass whose then() counts awaits on unfinished tasks
  override then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    const task = this.task;
    if (task !== undefined && !task.done) task.joined();
    return then.call(this, onFulfilled, onRejected) as Promise<A | B>;
  }
}

/** A task's state lives in its scope's `flags`, above the scope's own bits. */
const STATE = 24;
const RUNNING = 8;
const BLOCKED = 16;
const DONE = 24;
/** The task ended with a value (else with an error). */
const OK = 32;

/** The implementation behind {@link Task}: a task is its own scope. Internal to core. */
export class TaskImpl<T> extends ScopeImpl implements Task<T> {
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
  labels: string[] | undefined = undefined;
  /** Before the task ends, what its creator keeps there (a child task's function); then its value or error. */
  slot: unknown = undefined;

  constructor(parent: ScopeImpl | undefined, runtime: Runtime, name: string | Named | undefined) {
    super(parent, runtime, name);
    this.task = this as TaskImpl<unknown>;
    this.id = runtime.nextId++;
    runtime.live++;
  }

  /** Tells observers about the new task; called by the creator once the task is fully built. */
  announce(): void {
    if (this.runtime.observers !== undefined)
      this.runtime.emit("spawned", this as TaskImpl<unknown>, undefined);
  }

  override defaultName(): string {
    return "task";
  }

  get scope(): ScopeImpl {
    return this;
  }

  get state(): TaskState {
    switch (this.flags & STATE) {
      case 0:
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
    return (this.flags & STATE) === DONE;
  }

  get blockedOn(): readonly string[] {
    return this.labels === undefined ? [] : this.labels.slice();
  }

  get result(): Promise<T> {
    const extra = this.extraState();
    let state = extra.result as ResultState<T> | undefined;
    if (state === undefined) {
      const pending: ResultState<T> = {
        promise: undefined as unknown as ResultPromise<T>,
        resolve: noop,
        reject: noop,
        joins: 0,
      };
      const promise = new ResultPromise<T>((resolve, reject) => {
        if (this.done) {
          if ((this.flags & OK) !== 0) resolve(this.slot as T);
          else reject(this.slot);
        } else {
          pending.resolve = resolve;
          pending.reject = reject;
        }
      });
      promise.task = this;
      then.call(promise, undefined, noop);
      pending.promise = promise;
      extra.result = pending;
      state = pending;
    }
    return state.promise;
  }

  /** Counts an await on this unfinished task's result. */
  joined(): void {
    const state = this.extra?.result as ResultState<T> | undefined;
    if (state === undefined) return;
    state.joins++;
    this.runtime.joins++;
  }

  /** Marks the task as running (its function has been called). */
  begin(): void {
    if ((this.flags & STATE) === 0) this.flags |= RUNNING;
  }

  /** Marks the task as blocked in a Weft wait labelled `label`. */
  block(label: string): void {
    if (this.done) return;
    this.labels ??= [];
    const labels = this.labels;
    labels.push(label);
    if (labels.length === 1) {
      this.flags = (this.flags & ~STATE) | BLOCKED;
      this.runtime.blocked++;
      this.runtime.emit("blocked", this as TaskImpl<unknown>, label);
    }
  }

  /** Ends one Weft wait labelled `label`. */
  unblock(label: string): void {
    const labels = this.labels;
    if (this.done || labels === undefined) return;
    const index = labels.lastIndexOf(label);
    if (index < 0) return;
    labels.splice(index, 1);
    if (labels.length === 0) {
      this.flags = (this.flags & ~STATE) | RUNNING;
      this.runtime.blocked--;
      this.runtime.emit("resumed", this as TaskImpl<unknown>, label);
    }
  }

  /** Records the task's outcome, settles `result` and tells observers. */
  settle(ok: boolean, outcome: unknown): void {
    if (this.done) return;
    const runtime = this.runtime;
    if (this.labels !== undefined && this.labels.length > 0) {
      this.labels.length = 0;
      runtime.blocked--;
    }
    this.flags = (this.flags & ~STATE) | DONE | (ok ? OK : 0);
    this.slot = outcome;
    runtime.live--;
    const state = this.extra?.result as ResultState<T> | undefined;
    if (state !== undefined) {
      runtime.joins -= state.joins;
      state.joins = 0;
      if (ok) state.resolve(outcome as T);
      else state.reject(outcome);
      state.resolve = noop;
      state.reject = noop;
    }
    if (runtime.observers !== undefined)
      runtime.emit("finished", this as TaskImpl<unknown>, undefined);
  }
}

function anchored(task: TaskImpl<void>): TaskImpl<void> {
  new ScopeImpl(task, task.runtime, "anchor");
  return task;
}
