import type { ScopeImpl } from "../scope.ts";
import type { Scope } from "../types.ts";
import {
  createQueue,
  enqueue,
  FN,
  RESOLVE,
  Rejection,
  STRIDE,
  take,
  WEIGHT,
} from "./limiter-queue.ts";
import { borrow, call, launch } from "./limiter-runner.ts";
import { admit, fits, type LimiterState, retire, wakeIdle } from "./limiter-state.ts";
import { RateWindow } from "./rate-window.ts";

/*
 * What `Limiter` does: admitting queued calls, in order, while they fit in its concurrency and
 * rate. The class in limiter.ts validates arguments and delegates here; the state and its rules are
 * in limiter-state.ts, the queue in limiter-queue.ts, running a call in limiter-runner.ts.
 *
 * Per call, the hot path of a fan-out allocates only what the contract requires: the promise `run`
 * returns (and, while queued, its `resolve` function), the child scope `fn` receives, and one
 * reaction on `fn`'s promise.
 *
 * Why not `Semaphore`'s engine (permits.ts)? Both admit weighted callers from the head of a line,
 * but a limiter orders its line by priority, keeps one wait per scope instead of one per caller,
 * holds calls back for its rate, and runs each call itself in a child scope: a shared engine would
 * make the semaphore pay for all of that, or the fan-out lose its flat-array queue.
 */

/** Where an admitted call's scope sits in `ready` (the slot of a lane's arrival number). */
const SCOPE = 3;

/** The state of a new limiter. */
export function createState(
  concurrency: number,
  rate: { limit: number; interval: number } | undefined,
): LimiterState {
  const state: LimiterState = {
    concurrency,
    active: 0,
    activeWeight: 0,
    rate:
      rate === undefined
        ? undefined
        : new RateWindow(rate.limit, rate.interval, () => pump(state, false)),
    queue: createQueue((head) => {
      if (head) pump(state, false);
      wakeIdle(state);
    }),
    ready: [],
    idle: undefined,
    pumping: false,
    runners: [],
    flush: () => flush(state),
    pump: (direct) => pump(state, direct),
  };
  return state;
}

/** Changes the concurrency; raising it admits queued calls at once. */
export function setConcurrency(state: LimiterState, value: number): void {
  state.concurrency = value;
  pump(state, false);
}

/**
 * Runs `fn` in a child scope of `outer` once it fits: at once (synchronously) if nothing is queued
 * and it fits, else through the queue. `outer` must not be cancelled.
 */
export function submit(
  state: LimiterState,
  outer: ScopeImpl,
  fn: (scope: Scope) => unknown,
  priority: number,
  weight: number,
): Promise<unknown> {
  const queue = state.queue;
  if (
    queue.queued === 0 &&
    state.ready.length === 0 &&
    !outer.exited &&
    fits(state, weight) &&
    (state.rate === undefined || state.rate.nextStart() <= outer.clock.now())
  ) {
    admit(state, weight, outer);
    return call(borrow(state, weight), outer, fn) as Promise<unknown>;
  }
  const promise = enqueue(queue, outer, fn, priority, weight);
  // Only a call that went to the front can change what is admitted.
  if (queue.heap[0]?.order === queue.seq - 1) pump(state, false);
  return promise;
}

/** Starts the admitted calls, in admission order. */
function flush(state: LimiterState): void {
  const ready = state.ready;
  // A started `fn` may admit more calls: they are appended and started by this same loop.
  for (let at = 0; at < ready.length; at += STRIDE) {
    const scope = ready[at + SCOPE] as ScopeImpl;
    const fn = ready[at + FN] as (scope: Scope) => unknown;
    const resolve = ready[at + RESOLVE] as (value: unknown) => void;
    const weight = ready[at + WEIGHT] as number;
    const error = scope.error;
    if (error === undefined) launch(state, scope, fn, resolve, weight);
    else {
      // Cancelled between admission and start: `fn` never runs.
      retire(state, weight, true);
      resolve(new Rejection(error));
    }
  }
  ready.length = 0;
}

/**
 * Admits queued calls, in order, while the first fits; arms the rate timer if the rate holds it
 * back. With `direct` (a call just ended, in a promise reaction) an admitted call starts now,
 * unless earlier admitted calls still wait for their microtask; otherwise (from `concurrency =`, a
 * cancellation, a new call) it starts on the next microtask, so that `fn` never runs inside the
 * statement that admitted it.
 */
function pump(state: LimiterState, direct: boolean): void {
  // Resolving a waiter may cancel others synchronously (a due deadline of a shared scope), and a
  // started `fn` may call the limiter: such nested pumps leave the work to this loop.
  if (state.pumping) return;
  state.pumping = true;
  try {
    const queue = state.queue;
    const rate = state.rate;
    const ready = state.ready;
    for (let lane = queue.heap[0]; lane !== undefined; lane = queue.heap[0]) {
      const calls = lane.calls;
      const head = lane.head;
      const weight = calls[head + WEIGHT] as number;
      if (!fits(state, weight)) break;
      const scope = lane.line.scope;
      if (rate !== undefined) {
        const at = rate.nextStart();
        if (at > scope.clock.now()) {
          rate.wakeAt(scope.clock, at);
          return;
        }
      }
      const fn = calls[head + FN] as (scope: Scope) => unknown;
      const resolve = calls[head + RESOLVE] as (value: unknown) => void;
      if (!take(queue, lane)) continue;
      admit(state, weight, scope);
      const starting = ready.length;
      if (direct && starting === 0) launch(state, scope, fn, resolve, weight);
      else {
        ready.push(fn, resolve, weight, scope);
        if (starting === 0) queueMicrotask(state.flush);
      }
    }
    rate?.cancelWake();
  } finally {
    state.pumping = false;
  }
}
