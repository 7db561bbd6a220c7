import type { ScopeImpl } from "../scope.ts";
import { suspend, type Waiter } from "../suspend.ts";
import type { Scope } from "../types.ts";
import { type HeapEntry, heapPush, heapRemove, heapSink } from "./priority-queue.ts";

/*
 * The queue of a `Limiter`, built for a fan-out of 100,000 calls: a queued call costs its promise,
 * that promise's `resolve` function and four array slots, no object of its own.
 *
 * - A *line* holds the queued calls of one scope. They wait together in one `suspend` (the scope's
 *   task is marked blocked on "Limiter.run" while it has a queued call), and the scope's
 *   cancellation withdraws all of them at once.
 * - A line's calls of one priority form a *lane*: a flat array of `STRIDE` slots per call, in call
 *   order. A call leaves its lane only from the front (it starts) or with the whole lane (its scope
 *   is cancelled), so a lane never has holes.
 * - The lanes form a heap: higher priority first, then the lane whose first call came first. With
 *   calls from one scope at one priority (the usual fan-out) that is one lane, and every operation
 *   is O(1).
 *
 * Why it is laid out so (each point measured on the fan-out benchmark):
 * - Flat arrays, not a linked list of call objects: V8's garbage collector marks a large array in
 *   parallel chunks, but must walk a 100,000-node list one node at a time.
 * - A queued call keeps only the `resolve` function of its promise, and fails by resolving it with
 *   a {@link Rejection}: of the two functions a promise executor receives, the one not kept is
 *   garbage at once, and every byte a queued call retains is copied by the young-generation
 *   collector. (The rejection reaches the caller one microtask later than a `reject` call would.)
 * - Records are object literals and the heap is a plain array: V8 drops the hidden class of a class
 *   once no instance is left (between two bursts of calls, or two limiters), and with it the
 *   optimized code of every function that touched one; a literal's hidden class lives as long as
 *   the code that creates it.
 */

/** Where a call's values sit in its lane, `STRIDE` slots per call. */
export const FN = 0;
/** Settles the call's promise: with a value, or with a {@link Rejection}. */
export const RESOLVE = 1;
export const WEIGHT = 2;
/** The call's arrival number, for the order between lanes. */
const SEQ = 3;
export const STRIDE = 4;

/** The queued calls of one scope. */
export interface Line {
  readonly scope: ScopeImpl;
  readonly queue: LimiterQueue;
  /** The line's wait; `undefined` until it is registered. */
  waiter: Waiter<void> | undefined;
  /** Whether the line is in the queue's map: its wait has not ended. */
  open: boolean;
  /** How many calls it has queued. */
  queued: number;
  /** Its non-empty lanes, one per priority: usually one. */
  readonly lanes: Lane[];
}

/** The queued calls of one line at one priority, in call order. */
export interface Lane extends HeapEntry {
  readonly line: Line;
  /** `STRIDE` slots per call, from `head` on (the slots before `head` are spent). */
  calls: unknown[];
  head: number;
}

export interface LimiterQueue {
  /** How many calls are queued. */
  queued: number;
  /** The non-empty lanes; `heap[0]` holds the first call. */
  readonly heap: Lane[];
  readonly lines: Map<ScopeImpl, Line>;
  /** The line of the previous call: a fan-out from one scope skips the map. */
  last: Line | undefined;
  /** The arrival number of the next call. */
  seq: number;
  /** Told when cancellation withdrew calls; `head` says whether the first call was among them. */
  readonly onWithdraw: (head: boolean) => void;
}

function noop(): void {}

/**
 * A thenable that rejects with `error`: resolving a promise with it rejects the promise (on the
 * next microtask), so the promise's `resolve` function alone can settle it either way.
 */
export class Rejection {
  readonly error: unknown;

  constructor(error: unknown) {
    this.error = error;
  }

  // biome-ignore lint/suspicious/noThenProperty: a thenable by design, consumed by promise resolution
  then(_onFulfilled: unknown, onRejected: (error: unknown) => void): void {
    onRejected(this.error);
  }
}

/** A new, empty queue. */
export function createQueue(onWithdraw: (head: boolean) => void): LimiterQueue {
  return { queued: 0, heap: [], lines: new Map(), last: undefined, seq: 0, onWithdraw };
}

// Hand-offs to the two callbacks below, which run synchronously inside `enqueue`. (Module-level
// functions rather than closures per queue or per call: a call site that always calls the same
// function stays optimized whichever queue it serves.)
let adding: unknown[] | undefined;
let registering: Line | undefined;

/** The executor of a queued call's promise: stores its `resolve` in the call's slots. */
function settler(resolve: (value: unknown) => void): void {
  (adding as unknown[]).push(resolve);
}

function register(waiter: Waiter<void>): () => void {
  const line = registering as Line;
  line.waiter = waiter;
  return () => withdraw(line);
}

/**
 * Queues a call of `fn` in `scope`.
 * @returns The promise of the call; it rejects with the scope's `CancelledError` if the scope is
 *   cancelled while the call is queued (at once if it already is).
 */
export function enqueue(
  queue: LimiterQueue,
  scope: ScopeImpl,
  fn: (scope: Scope) => unknown,
  priority: number,
  weight: number,
): Promise<unknown> {
  let line = queue.last;
  if (line === undefined || line.scope !== scope || !line.open) {
    line = queue.lines.get(scope);
    if (line === undefined) {
      line = { scope, queue, waiter: undefined, open: true, queued: 0, lanes: [] };
      registering = line;
      const waiting = suspend<void>(scope, "Limiter.run", register);
      registering = undefined;
      // Not registered: the scope was cancelled or has exited, and `waiting` says so.
      if (line.waiter === undefined) return waiting;
      waiting.then(undefined, noop);
      queue.lines.set(scope, line);
    }
    queue.last = line;
  }
  const seq = queue.seq++;
  const lanes = line.lanes;
  let lane = lanes[lanes.length - 1];
  if (lane === undefined || lane.priority !== priority) {
    lane = undefined;
    for (let i = 0; i < lanes.length - 1; i++) {
      if ((lanes[i] as Lane).priority === priority) lane = lanes[i];
    }
    if (lane === undefined) {
      lane = { priority, order: seq, index: -1, line, calls: [], head: 0 };
      lanes.push(lane);
      heapPush(queue.heap, lane);
    }
  }
  const calls = lane.calls;
  calls.push(fn);
  adding = calls;
  const promise = new Promise<unknown>(settler);
  adding = undefined;
  calls.push(weight, seq);
  line.queued++;
  queue.queued++;
  return promise;
}

/**
 * Takes the first call of `lane` (the queue's first lane) out of the queue to start it; read its
 * slots first (from `lane.head` in `lane.calls`). Returns `false` instead if a deadline due at this
 * instant cancelled its scope (the deadline wins): the lane has then been withdrawn.
 */
export function take(queue: LimiterQueue, lane: Lane): boolean {
  const line = lane.line;
  line.scope.expireDeadlines();
  if (lane.index < 0) return false;
  const calls = lane.calls;
  const head = lane.head;
  // Spent slots keep nothing alive.
  calls[head + FN] = undefined;
  calls[head + RESOLVE] = undefined;
  queue.queued--;
  line.queued--;
  const next = head + STRIDE;
  if (next === calls.length) {
    heapRemove(queue.heap, lane);
    const lanes = line.lanes;
    const last = lanes.pop() as Lane;
    if (last !== lane) lanes[lanes.indexOf(lane)] = last;
  } else if (next >= 1024 && next * 2 >= calls.length) {
    // Most of the array is spent: keep only the rest.
    lane.calls = calls.slice(next);
    lane.head = 0;
    lane.order = lane.calls[SEQ] as number;
    heapSink(queue.heap, lane);
  } else {
    lane.head = next;
    lane.order = calls[next + SEQ] as number;
    heapSink(queue.heap, lane);
  }
  if (line.queued === 0) {
    close(queue, line);
    line.waiter?.resolve();
  }
  return true;
}

/** Forgets `line`: its wait ends (no scope is kept alive by the queue once it is idle). */
function close(queue: LimiterQueue, line: Line): void {
  line.open = false;
  queue.lines.delete(line.scope);
  if (queue.last === line) queue.last = undefined;
  // Arrival numbers only order queued calls: restart them when none is left (they stay small
  // integers, which V8 stores unboxed).
  if (queue.lines.size === 0) queue.seq = 0;
}

/** The scope of `line` was cancelled: withdraw its calls and reject them with its error. */
function withdraw(line: Line): void {
  const queue = line.queue;
  close(queue, line);
  const error = line.scope.error;
  const first = queue.heap[0];
  let headLeft = false;
  for (const lane of line.lanes) {
    if (lane === first) headLeft = true;
    heapRemove(queue.heap, lane);
    const calls = lane.calls;
    for (let at = lane.head; at < calls.length; at += STRIDE) {
      (calls[at + RESOLVE] as (value: unknown) => void)(new Rejection(error));
    }
  }
  queue.queued -= line.queued;
  line.queued = 0;
  line.lanes.length = 0;
  queue.onWithdraw(headLeft);
}
