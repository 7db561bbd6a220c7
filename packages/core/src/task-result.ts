/*
 * `task.result`: a promise made only when somebody reads it, that never raises an unhandled
 * rejection, and that tells the run when somebody awaits a task that has not finished (a harness
 * counts that as a Weft wait).
 */

function noop(): void {}

/** What a task keeps of how it ended: its value, or its error wrapped in a {@link Failure}. */
export type Outcome<T> = T | Failure | typeof UNSETTLED;

/** The outcome of a task that has not ended. */
export const UNSETTLED: unique symbol = Symbol("unsettled");

/** A task's error, wrapped so that it cannot be taken for a value (a task may return anything). */
export class Failure {
  readonly error: unknown;

  constructor(error: unknown) {
    this.error = error;
  }
}

/** What the result promise reads of its task. */
export interface Joinable {
  readonly done: boolean;
  /** Counts an await on the result of the unfinished task. */
  joined(): void;
}

/** The promise behind `task.result`: it tells its task when somebody awaits it unfinished. */
class ResultPromise<T> extends Promise<T> {
  task: Joinable | undefined;

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
    return super.then(onFulfilled, onRejected);
  }
}

/** The result promise of one task, with what settles it and how many awaits it has counted. */
export class TaskResult<T> {
  readonly promise: ResultPromise<T>;
  /** Awaits counted on the unfinished task, to take back from the run's count when it ends. */
  joins = 0;
  #resolve: (value: T) => void = noop;
  #reject: (error: unknown) => void = noop;

  constructor(task: Joinable, outcome: Outcome<T>) {
    this.promise = new ResultPromise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Handled from the start, before `task` is set, so that this handler counts no join.
    this.promise.then(undefined, noop);
    this.promise.task = task;
    this.settle(outcome);
  }

  /** Settles the promise with `outcome`; nothing happens for an unsettled outcome or a second call. */
  settle(outcome: Outcome<T>): void {
    if (outcome === UNSETTLED) return;
    if (outcome instanceof Failure) this.#reject(outcome.error);
    else this.#resolve(outcome);
    this.#resolve = noop;
    this.#reject = noop;
  }
}
