import { ChildScope } from "../child-scope.ts";
import type { ScopeImpl } from "../scope.ts";
import type { Scope } from "../types.ts";
import { Rejection } from "./limiter-queue.ts";
import { type LimiterState, type Runner, retire } from "./limiter-state.ts";

/*
 * Running an admitted `Limiter` call. A call that starts borrows a pooled runner whose two handlers
 * are made once (no closure and no async function frame per call), and a call that ends starts the
 * next one within the same reaction.
 */

/** How many free runners a limiter keeps. */
const POOL = 256;

/** A free runner for a call of `weight`. */
export function borrow(state: LimiterState, weight: number): Runner {
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
export function call(
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
export function launch(
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
  exitCallScope(runner);
  if (resolve !== undefined) resolve(value);
  recycle(runner);
  return value;
}

/**
 * `fn` threw or rejected: ends the call and settles its promise.
 * @returns Whether the caller holds the handlers' promise, which must then reject with `error`.
 */
function failed(runner: Runner, error: unknown): boolean {
  const resolve = runner.resolve;
  exitCallScope(runner);
  if (resolve !== undefined) resolve(new Rejection(error));
  recycle(runner);
  return resolve === undefined;
}

/** Exits the call's scope and clears the runner. */
function exitCallScope(runner: Runner): void {
  runner.scope?.exit();
  runner.scope = undefined;
  runner.resolve = undefined;
}

/** The call of `runner` is over: the runner goes back to the pool, and the next calls are admitted. */
function recycle(runner: Runner): void {
  const state = runner.state;
  if (state.runners.length < POOL) state.runners.push(runner);
  retire(state, runner.weight, true);
}
