/**
 * One run of a {@link WorkerPool}, from queued to settled: its control (begun? abort the worker-side
 * signal), its cancellation (queued → at once; running → abort the worker's signal, then terminate
 * after `grace` on the pool's clock) and the moment it settles for its caller.
 */

import type { Clock, TimerHandle } from "@weft/core";
import { type PoolBackend, type RunControl, Terminator } from "./backend.ts";
import { crashResult, type RunResult, readOutcome } from "./outcome.ts";

/** What {@link PoolRun} is asked to run. */
export interface RunRequest {
  readonly input: unknown;
  readonly transfer: readonly Transferable[];
  readonly name: string | undefined;
  /** The caller's signal: aborting it cancels the run. */
  readonly signal: AbortSignal | undefined;
}

/** How the pool's runs are cancelled: the grace period and the clock it is measured on. */
export interface GracePolicy {
  readonly clock: Clock;
  /** ms; 0 terminates at once; `Infinity` never terminates. */
  readonly grace: number;
}

/**
 * One run: `result` is the caller's promise; `onStopped` is called once the worker side is done
 * (`whenStopped()` waits for that).
 */
export class PoolRun {
  /** The caller's promise: the output, a `WorkerError`, or the cancellation reason. */
  readonly result: Promise<unknown>;
  readonly #policy: GracePolicy;
  readonly #control: RunControl;
  /** Made only for a run its caller can cancel; the pool's shutdown ends the threads itself. */
  readonly #terminate: Terminator | undefined;
  readonly #onStopped: (run: PoolRun) => void;
  #signal: AbortSignal | undefined;
  #onAbort: (() => void) | undefined;
  #resolve: (value: unknown) => void = noop;
  #reject: (error: unknown) => void = noop;
  #cancelled: RunResult | undefined;
  #timer: TimerHandle | undefined;
  #settled = false;
  #stopped = false;
  #stoppedWaiters: (() => void)[] | undefined;

  constructor(
    backend: PoolBackend,
    request: RunRequest,
    policy: GracePolicy,
    onStopped: (run: PoolRun) => void,
  ) {
    this.#policy = policy;
    this.#onStopped = onStopped;
    this.result = new Promise<unknown>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const signal = request.signal;
    if (signal === undefined) {
      this.#terminate = undefined;
    } else {
      this.#terminate = new Terminator();
      this.#signal = signal;
      this.#onAbort = () => this.cancel(signal.reason);
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
    const control = backend.control();
    this.#control = control;
    backend
      .run(control.payload(request.input, request.name), {
        transfer: control.transfer(request.transfer),
        terminate: this.#terminate,
        name: request.name,
      })
      .then(
        (outcome) => this.#stop(this.#cancelled ?? readOutcome(outcome)),
        (error: unknown) => this.#stop(this.#cancelled ?? crashResult(error)),
      );
  }

  /** Whether the task has begun on a worker (until then the run is queued). */
  get started(): boolean {
    return !this.#stopped && this.#control.started;
  }

  /** Resolves (never rejects) once the worker side has settled or been terminated. */
  whenStopped(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#stoppedWaiters ??= [];
      this.#stoppedWaiters.push(resolve);
    });
  }

  /**
   * Cancels the run with `reason` (idempotent): a queued run, or any run when `grace` is 0, is
   * dropped or terminated and settles at once; a running one has its worker-side signal aborted
   * and is terminated if it is still running `grace` ms later on the pool's clock.
   *
   * A run made without a caller's signal is only cancelled by the pool's shutdown, which ends every
   * thread once its runs have stopped: such a run stops (for the pool) instead of being terminated
   * on its own, and a taken-back one is left in the backend's queue, where its task will not run.
   */
  cancel(reason: unknown): void {
    if (this.#cancelled !== undefined || this.#settled) return;
    const cancelled: RunResult = { ok: false, error: reason };
    this.#cancelled = cancelled;
    const { clock, grace } = this.#policy;
    if (this.#control.takeBack() || grace === 0) {
      this.#end(cancelled);
      return;
    }
    this.#control.abort();
    if (grace !== Number.POSITIVE_INFINITY) {
      this.#timer = clock.setTimer(clock.now() + grace, () => {
        this.#timer = undefined;
        this.#end(cancelled);
      });
    }
  }

  /** Terminates the run (drops it if queued); without a terminator, stops it for the pool. */
  #end(cancelled: RunResult): void {
    if (this.#terminate === undefined) {
      this.#stop(cancelled);
      return;
    }
    this.#terminate.abort(cancelled.ok ? undefined : cancelled.error);
    this.#settle(cancelled);
  }

  /** The worker side is done: settles the caller (if not yet), frees the control, tells the pool. */
  #stop(result: RunResult): void {
    if (this.#stopped) return;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#settle(result);
    this.#stopped = true;
    this.#control.release();
    this.#onStopped(this);
    const waiters = this.#stoppedWaiters;
    this.#stoppedWaiters = undefined;
    if (waiters !== undefined) for (const resolve of waiters) resolve();
  }

  /** Settles the caller's promise once; removes the listener from the caller's signal. */
  #settle(result: RunResult): void {
    if (this.#settled) return;
    this.#settled = true;
    if (this.#onAbort !== undefined) {
      this.#signal?.removeEventListener("abort", this.#onAbort);
      this.#onAbort = undefined;
      this.#signal = undefined;
    }
    if (result.ok) this.#resolve(result.value);
    else this.#reject(result.error);
  }
}

function noop(): void {}
