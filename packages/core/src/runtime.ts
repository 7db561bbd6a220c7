import type { Clock } from "./clock.ts";
import { reportUncaught as report } from "./internal/report.ts";
import type { Task, TaskEvent, TaskObserver } from "./types.ts";

/** Something {@link Runtime.schedule} starts: a spawned task. */
export interface Launchable {
  launch(): void;
}

/** How many queued tasks start in one microtask. */
const SLICE = 256;

/**
 * The state shared by every scope and task of one `run`: its clock, its counters, its observers and
 * the tasks waiting to start. Every scope of the run points at it.
 */
export class Runtime {
  readonly clock: Clock;
  nextId = 1;
  /** Tasks not finished yet, the root included. */
  live = 0;
  /** Live tasks blocked in a Weft wait. */
  blocked = 0;
  /** Awaits on the `result` of tasks that have not finished yet. */
  joins = 0;
  /** Replaced, never mutated, when an observer comes or goes: `emit` can iterate it as it is. */
  observers: TaskObserver[] | undefined = undefined;
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
    let batch = ready.shift() ?? [];
    if (this.shuffle !== undefined) {
      batch = batch.concat(...ready);
      ready.length = 0;
      this.shuffle(batch);
    }
    for (const task of batch) task.launch();
    if (ready.length > 0) queueMicrotask(this.#flush);
    else this.#scheduled = false;
  }

  /** Tells every observer about a change in the life of `task`. */
  emit(type: TaskEvent["type"], task: Task<unknown>, label: string | undefined): void {
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
