import type { TaskPayload } from "./protocol.ts";

/**
 * What a {@link WorkerPool} needs of the threads under it: piscina on Node, a small pool of module
 * Web Workers in browsers. The pool adds the scope, cancellation with grace and error revival.
 */
export interface PoolBackend {
  /** Live threads. */
  readonly threads: number;
  /** The control of a new run: how the pool sees it begin and aborts its worker-side signal. */
  control(): RunControl;
  /**
   * Runs `payload` on a free thread, or queues it. Aborting `terminate` (if given) removes a queued run, or
   * terminates (and replaces) the thread of a running one; the promise then rejects. Resolves with
   * what the worker-side handler returned; rejects when the thread crashed or the run was refused.
   */
  run(payload: TaskPayload, options: BackendRunOptions): Promise<unknown>;
  /** Ends every thread; resolves once they have ended. */
  destroy(): Promise<void>;
}

/**
 * One run's link to its worker side, made by {@link PoolBackend.control}: per-run port pairs in
 * browsers, one shared run table per pool on Node.
 */
export interface RunControl {
  /** The payload of the run: `input`, the export `name`, and what the worker needs to find this control. */
  payload(input: unknown, name: string | undefined): TaskPayload;
  /** What moves with the payload: the control's own transferables, then the caller's `transfer`. */
  transfer(extra: readonly Transferable[]): readonly Transferable[];
  /** Whether the task has begun on its worker. */
  readonly started: boolean;
  /** Takes back a run that has not begun: `true` if it had not (its task will not run). */
  takeBack(): boolean;
  /** Aborts the worker-side signal of a run that has begun. */
  abort(): void;
  /** The run has stopped: frees what the control holds. */
  release(): void;
}

/** Options of {@link PoolBackend.run}. */
export interface BackendRunOptions {
  /** Moved with the payload. */
  readonly transfer: readonly Transferable[];
  /** Aborted to terminate the run's thread (or drop the queued run); none when it cannot be. */
  readonly terminate: Terminator | undefined;
  /** The export of the worker file to call; `undefined` for the default export. */
  readonly name: string | undefined;
}

/**
 * The signal a backend watches to terminate a run: the part of an `AbortSignal` that piscina and
 * the Web Worker pool use, holding one listener and no `EventTarget`, one made per run.
 */
export class Terminator {
  aborted = false;
  reason: unknown = undefined;
  #listener: (() => void) | undefined = undefined;

  addEventListener(_type: "abort", listener: () => void, _options?: unknown): void {
    this.#listener = listener;
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    if (this.#listener === listener) this.#listener = undefined;
  }

  /** Aborts (once) with `reason`, calling the listener. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.();
  }
}
