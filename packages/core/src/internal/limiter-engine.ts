import { ChildScope } from "../child-scope.ts";
import type { ScopeImpl } from "../scope.ts";
import { suspend, type WaitOptions } from "../suspend.ts";
import type { Scope } from "../types.ts";
import {
  createQueue,
  enqueue,
  FN,
  type LimiterQueue,
  RESOLVE,
  Rejection,
  STRIDE,
  take,
  WEIGHT,
} from "./limiter-queue.ts";
import { RateWindow } from "./rate-window.ts";
import { WaitList } from "./wait-list.ts";

/*
 * What `Limiter` does, as functions over one state record: admitting queued calls, starting them,
 * ending them. The class in limiter.ts validates arguments and delegates here.
 *
 * Per call, the hot path of a fan-out allocates only what the contract requires: the promise `run`
 * returns (and, while queued, its `resolve` function), the child scope `fn` receives, and one
 * reaction on `fn`'s promise. A call that starts borrows a pooled runner whose two handlers are
 * made once (no closure and no async function frame per call), and a call that ends starts the
 * next one within the same reaction.
 *
 * The state and the runners are object literals and the functions are module-level, so that no
 * optimized code depends on a class's hidden class (see limiter-queue.ts for why that matters).
 */

/** The state of one `Limiter`. */
export interface LimiterState {
  concurrency: number;
  /** Calls counted against the limits: running, or admitted and about to start. */
  active: number;
  activeWeight: number;
  readonly rate: RateWindow | undefined;
  readonly queue: LimiterQueue;
  /**
   * Calls admitted and counted in `active` whose `fn` starts on the next microtask, in admission
   * order: `STRIDE` slots each, as in a lane (see limiter-queue.ts) but with the call's scope in
   * place of its arrival number.
   */
  readonly ready: unknown[];
  /** Waiters of `onIdle`; created by the first. */
  idle: WaitList<void> | undefined;
  pumping: boolean;
  /** Free runners. */
  readonly runners: Runner[];
  readonly flush: () => void;
}

/**
 * What a running call needs when its `fn` settles. `resolve` settles the promise of a call that was
 * queued; for a call that started at once it is unset, and `run` returned the promise of the
 * handlers themselves.
 */
interface Runner {
  readonly state: LimiterState;
  /** The call's scope: the child of the caller's scope that `fn` received. */
  scope: ScopeImpl | undefined;
  weight: number;
  resolve: ((value: unknown) => void) | undefined;
  readonly onFulfilled: (value: unknown) => unknown;
  readonly onRejected: (error: unknown) => unknown;
}

/** How many free runners a limiter keeps. */
const POOL = 256;

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
      checkIdle(state);
    }),
    ready: [],
    idle: undefined,
    pumping: false,
    runners: [],
    flush: () => flush(state),
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
    queue.size === 0 &&
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

/** Waits until nothing is queued or running. */
export function waitIdle(state: LimiterState, options: WaitOptions | undefined): Promise<void> {
  return suspend<void>(options, "Limiter.onIdle", (waiter) => {
    if (isIdle(state)) {
      waiter.resolve();
      return undefined;
    }
    state.idle ??= new WaitList<void>();
    const idle = state.idle;
    const entry = idle.push(waiter, 1);
    return () => idle.remove(entry);
  });
}

function fits(state: LimiterState, weight: number): boolean {
  return state.activeWeight + weight <= state.concurrency || state.active === 0;
}

/** Counts a call that starts in `active` (and in the rate). */
function admit(state: LimiterState, weight: number, scope: ScopeImpl): void {
  state.active++;
  state.activeWeight += weight;
  state.rate?.record(scope.clock.now());
}

/** A free runner for a call of `weight`. */
function borrow(state: LimiterState, weight: number): Runner {
  const runner = state.runners.pop() ?? createRunner(state);
  runner.weight = weight;
  return runner;
}

function createRunner(state: LimiterState): Runner {
  const runner: Runner = {
    state,
    scope: undefined,
    weight: 0,
    resolve: undefined,
    onFulfilled: (value) => fulfilled(runner, value),
    onRejected: (error) => {
      if (failed(runner, error)) throw error;
      return undefined;
    },
  };
  return runner;
}

/**
 * Calls `fn` in a new child scope of `outer`, and hands its outcome to `runner`.
 * @returns The promise of the outcome, for a call that started at once (`runner.resolve` unset).
 */
function call(
  runner: Runner,
  outer: ScopeImpl,
  fn: (scope: Scope) => unknown,
): Promise<unknown> | undefined {
  const scope = new ChildScope(outer, "Limiter.run");
  runner.scope = scope;
  let result: unknown;
  try {
    result = fn(scope);
  } catch (error) {
    return failed(runner, error) ? Promise.reject(error) : undefined;
  }
  const promise = result instanceof Promise ? result : Promise.resolve(result);
  return promise.then(runner.onFulfilled, runner.onRejected);
}

/** Starts an admitted call that was queued. */
function launch(
  state: LimiterState,
  outer: ScopeImpl,
  fn: (scope: Scope) => unknown,
  resolve: (value: unknown) => void,
  weight: number,
): void {
  const runner = borrow(state, weight);
  runner.resolve = resolve;
  void call(runner, outer, fn);
}

/** `fn` fulfilled: ends the call and settles its promise. Returns the value. */
function fulfilled(runner: Runner, value: unknown): unknown {
  const resolve = runner.resolve;
  end(runner);
  if (resolve !== undefined) resolve(value);
  release(runner);
  return value;
}

/**
 * `fn` threw or rejected: ends the call and settles its promise.
 * @returns Whether the caller holds the handlers' promise, which must then reject with `error`.
 */
function failed(runner: Runner, error: unknown): boolean {
  const resolve = runner.resolve;
  end(runner);
  if (resolve !== undefined) resolve(new Rejection(error));
  release(runner);
  return resolve === undefined;
}

/** Exits the call's scope and clears the runner. */
function end(runner: Runner): void {
  (runner.scope as ScopeImpl).exit();
  runner.scope = undefined;
  runner.resolve = undefined;
}

/** The call of `runner` is over: free the runner, admit and start the next calls. */
function release(runner: Runner): void {
  const state = runner.state;
  if (state.runners.length < POOL) state.runners.push(runner);
  finish(state, runner.weight, true);
}

/**
 * A call that was counted in `active` is over: admit the next ones (starting them now if
 * `direct`, else on the next microtask).
 */
function finish(state: LimiterState, weight: number, direct: boolean): void {
  state.active--;
  state.activeWeight -= weight;
  pump(state, direct);
  checkIdle(state);
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
      finish(state, weight, true);
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
      const waiting = ready.length;
      if (direct && waiting === 0) launch(state, scope, fn, resolve, weight);
      else {
        ready.push(fn, resolve, weight, scope);
        if (waiting === 0) queueMicrotask(state.flush);
      }
    }
    rate?.cancelWake();
  } finally {
    state.pumping = false;
  }
}

function isIdle(state: LimiterState): boolean {
  return state.active === 0 && state.queue.size === 0;
}

function checkIdle(state: LimiterState): void {
  const idle = state.idle;
  if (idle !== undefined && idle.size > 0 && isIdle(state)) idle.wake(idle.size, undefined);
}
