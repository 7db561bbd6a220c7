import type { Scope, ScopeImpl } from "../scope.ts";
import { suspend, type Waiter } from "../suspend.ts";
import { type PriorityItem, PriorityQueue } from "./priority-queue.ts";

function noop(): void {}

/** A queued `Limiter.run` call. */
export class Job implements PriorityItem<Job> {
  readonly priority: number;
  readonly weight: number;
  readonly fn: (scope: Scope) => unknown;
  readonly line: Line;
  before: Job | undefined = undefined;
  after: Job | undefined = undefined;
  queued = false;
  /** Settle the promise `Limiter.run` returned. */
  resolve: (value: unknown) => void = noop;
  reject: (error: unknown) => void = noop;
  /** Neighbours among the queued calls of the same scope. */
  prev: Job | undefined = undefined;
  next: Job | undefined = undefined;

  constructor(priority: number, weight: number, fn: (scope: Scope) => unknown, line: Line) {
    this.priority = priority;
    this.weight = weight;
    this.fn = fn;
    this.line = line;
  }
}

/**
 * The queued calls of one scope. They wait together in one `suspend`: the scope's task is marked
 * blocked on `"Limiter.run"` while it has a queued call, and the scope's cancellation withdraws
 * all of them at once. (One wait per scope rather than per call keeps a large fan-out from one
 * task as cheap as a hand-written queue.)
 */
class Line {
  readonly scope: ScopeImpl;
  waiter: Waiter<void> | undefined = undefined;
  /** Whether the line is in the map: its wait has not ended. */
  open = true;
  first: Job | undefined = undefined;
  last: Job | undefined = undefined;
  size = 0;

  constructor(scope: ScopeImpl) {
    this.scope = scope;
  }

  push(job: Job): void {
    job.prev = this.last;
    if (this.last === undefined) this.first = job;
    else this.last.next = job;
    this.last = job;
    this.size++;
  }

  remove(job: Job): void {
    if (job.prev === undefined) this.first = job.next;
    else job.prev.next = job.next;
    if (job.next === undefined) this.last = job.prev;
    else job.next.prev = job.prev;
    job.prev = undefined;
    job.next = undefined;
    this.size--;
  }
}

/**
 * The queue of a `Limiter`: calls by priority (higher first, ties in call order), each waiting in
 * the `suspend` of its scope's {@link Line}.
 */
export class LimiterQueue {
  readonly #heap = new PriorityQueue<Job>();
  readonly #lines = new Map<ScopeImpl, Line>();
  #registering: Line | undefined = undefined;
  /** The line of the previous call: a fan-out from one scope skips the map. */
  #last: Line | undefined = undefined;
  /** The job whose promise is being created (one shared executor instead of a closure per call). */
  #adding: Job | undefined = undefined;
  readonly #settlers = (
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
  ): void => {
    const job = this.#adding as Job;
    job.resolve = resolve;
    job.reject = reject;
  };
  /** Told when cancellation withdrew calls; `head` says whether the first call was among them. */
  readonly #onWithdraw: (head: boolean) => void;

  constructor(onWithdraw: (head: boolean) => void) {
    this.#onWithdraw = onWithdraw;
  }

  get size(): number {
    return this.#heap.size;
  }

  peek(): Job | undefined {
    return this.#heap.peek();
  }

  /**
   * Queues a call of `fn` in `scope`.
   * @returns The promise of the call; it rejects with the scope's `CancelledError` if the scope is
   *   cancelled while the call is queued (at once if it already is).
   */
  add(
    scope: ScopeImpl,
    fn: (scope: Scope) => unknown,
    priority: number,
    weight: number,
  ): Promise<unknown> {
    let line = this.#last;
    if (line?.scope !== scope || !line.open) line = this.#lines.get(scope);
    if (line === undefined) {
      line = new Line(scope);
      this.#registering = line;
      const waiting = suspend<void>(scope, "Limiter.run", this.#register);
      this.#registering = undefined;
      // Not registered: the scope was cancelled or has exited, and `waiting` says so.
      if (line.waiter === undefined) return waiting;
      waiting.then(undefined, noop);
      this.#lines.set(scope, line);
    }
    this.#last = line;
    const job = new Job(priority, weight, fn, line);
    this.#adding = job;
    const promise = new Promise<unknown>(this.#settlers);
    this.#adding = undefined;
    line.push(job);
    this.#heap.push(job);
    return promise;
  }

  /**
   * Takes `job`, the head, out of the queue to start it. Returns `false` instead if a deadline due
   * at this instant cancelled its scope (the deadline wins): the job has then been withdrawn.
   */
  take(job: Job): boolean {
    const line = job.line;
    line.scope.expireDeadlines();
    if (!job.queued) return false;
    this.#heap.remove(job);
    line.remove(job);
    if (line.size === 0) {
      this.#close(line);
      line.waiter?.resolve();
    }
    return true;
  }

  /** Forgets `line`: its wait ends (no scope is kept alive by the queue once it is idle). */
  #close(line: Line): void {
    line.open = false;
    this.#lines.delete(line.scope);
    if (this.#last === line) this.#last = undefined;
  }

  readonly #register = (waiter: Waiter<void>): (() => void) => {
    const line = this.#registering as Line;
    line.waiter = waiter;
    return () => this.#cancel(line);
  };

  /** The scope of `line` was cancelled: withdraw its calls and reject them with its error. */
  #cancel(line: Line): void {
    this.#close(line);
    const error = line.scope.error;
    const head = this.#heap.peek();
    let headLeft = false;
    for (let job = line.first; job !== undefined; job = line.first) {
      if (job === head) headLeft = true;
      line.remove(job);
      this.#heap.remove(job);
      job.reject(error);
    }
    this.#onWithdraw(headLeft);
  }
}
