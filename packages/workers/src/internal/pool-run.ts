/**
 * One run of a {@link WorkerPool}, from queued to settled: its port to the worker-side signal, its
 * cancellation (queued → at once; running → abort the worker's signal, then terminate after
 * `grace` on the pool's clock) and the moment it settles for its caller.
 */

import type { Clock, TimerHandle } from "@weft/core";
import type { PoolBackend } from "./backend.ts";
import { crashResult, type RunResult, readOutcome } from "./outcome.ts";
import { ABORT, onMessage, STARTED, type TaskPayload } from "./protocol.ts";

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

/** One run: `result` is the caller's promise; `stopped` resolves once the worker side is done. */
export class PoolRun {
  /** Whether the task has begun on a worker (until then the run is queued). */
  started = false;
  /** The caller's promise: the output, a `WorkerError`, or the cancellation reason. */
  readonly result: Promise<unknown>;
  /** Resolves (never rejects) once the worker side has settled or been terminated. */
  readonly stopped: Promise<void>;
  readonly #policy: GracePolicy;
  readonly #signal: AbortSignal | undefined;
  readonly #port: MessagePort;
  readonly #terminate = new AbortController();
  readonly #settle: (result: RunResult) => void;
  readonly #onAbort = (): void => this.cancel(this.#signal?.reason);
  #cancelled: RunResult | undefined;
  #timer: TimerHandle | undefined;
  #settled = false;

  constructor(backend: PoolBackend, request: RunRequest, policy: GracePolicy) {
    this.#policy = policy;
    this.#signal = request.signal;
    let settle: (result: RunResult) => void = () => undefined;
    this.result = new Promise<unknown>((resolve, reject) => {
      settle = (result) => (result.ok ? resolve(result.value) : reject(result.error));
    });
    this.#settle = settle;
    this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    onMessage(port1, (message) => {
      if (message === STARTED) this.started = true;
    });
    const payload: TaskPayload = {
      weftTask: 1,
      input: request.input,
      port: port2,
      ...(request.name === undefined ? {} : { name: request.name }),
    };
    this.stopped = backend
      .run(payload, {
        transfer: [port2, ...request.transfer],
        signal: this.#terminate.signal,
        name: request.name,
      })
      .then(
        (outcome) => this.#finish(this.#cancelled ?? readOutcome(outcome)),
        (error: unknown) => this.#finish(this.#cancelled ?? crashResult(error)),
      );
  }

  /**
   * Cancels the run with `reason` (idempotent): a queued run, or any run when `grace` is 0, is
   * dropped or terminated and settles at once; a running one has its worker-side signal aborted
   * and is terminated if it is still running `grace` ms later on the pool's clock.
   */
  cancel(reason: unknown): void {
    if (this.#cancelled !== undefined || this.#settled) return;
    this.#cancelled = { ok: false, error: reason };
    this.#port.postMessage(ABORT);
    const { clock, grace } = this.#policy;
    if (!this.started || grace === 0) {
      this.#terminate.abort(reason);
      this.#finish(this.#cancelled);
    } else if (grace !== Number.POSITIVE_INFINITY) {
      this.#timer = clock.setTimer(clock.now() + grace, () => this.#terminate.abort(reason));
    }
  }

  /** Settles the caller's promise once; removes the listener, the grace timer and the port. */
  #finish(result: RunResult): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#settled) return;
    this.#settled = true;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#port.close();
    this.#settle(result);
  }
}
