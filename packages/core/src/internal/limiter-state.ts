import type { ScopeImpl } from "../scope.ts";
import { suspend, type WaitOptions } from "../suspend.ts";
import type { LimiterQueue } from "./limiter-queue.ts";
import type { RateWindow } from "./rate-window.ts";
import { WaitList } from "./wait-list.ts";

/*
 * The state of one `Limiter` and the rules that read it: whether a call fits, counting calls in and
 * out of `active`, and `onIdle` (idle: nothing queued and nothing running). The engine
 * (limiter-engine.ts) admits calls; runners (limiter-runner.ts) run them.
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
  /** Starts the calls in `ready`. */
  readonly flush: () => void;
  /** Admits queued calls while they fit (see `pump` in limiter-engine.ts). */
  readonly pump: (direct: boolean) => void;
}

/**
 * What a running call needs when its `fn` settles. `resolve` settles the promise of a call that was
 * queued; for a call that started at once it is unset, and `run` returned the promise of the
 * handlers themselves.
 */
export interface Runner {
  readonly state: LimiterState;
  /** The call's scope: the child of the caller's scope that `fn` received. */
  scope: ScopeImpl | undefined;
  weight: number;
  resolve: ((value: unknown) => void) | undefined;
  readonly onFulfilled: (value: unknown) => unknown;
  readonly onRejected: (error: unknown) => unknown;
}

/** Whether a call of `weight` fits now (a call heavier than the limit runs alone). */
export function fits(state: LimiterState, weight: number): boolean {
  return state.activeWeight + weight <= state.concurrency || state.active === 0;
}

/** Counts a call that starts in `active` (and in the rate). */
export function admit(state: LimiterState, weight: number, scope: ScopeImpl): void {
  state.active++;
  state.activeWeight += weight;
  state.rate?.record(scope.clock.now());
}

/**
 * A call that was counted in `active` is over: uncount it and admit the next ones (starting them
 * now if `direct`, else on the next microtask).
 */
export function retire(state: LimiterState, weight: number, direct: boolean): void {
  state.active--;
  state.activeWeight -= weight;
  state.pump(direct);
  wakeIdle(state);
}

/** Waits until the limiter is idle. */
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

function isIdle(state: LimiterState): boolean {
  return state.active === 0 && state.queue.queued === 0;
}

/** Wakes the waiters of `onIdle` if the limiter is idle. */
export function wakeIdle(state: LimiterState): void {
  const idle = state.idle;
  if (idle !== undefined && idle.size > 0 && isIdle(state)) idle.wake(idle.size, undefined);
}
