import type { TaskPayload } from "./protocol.ts";

/**
 * What a {@link WorkerPool} needs of the threads under it: piscina on Node, a small pool of module
 * Web Workers in browsers. The pool adds the scope, cancellation with grace and error revival.
 */
export interface PoolBackend {
  /** Live threads. */
  readonly threads: number;
  /**
   * Runs `payload` on a free thread, or queues it. Aborting `signal` removes a queued run, or
   * terminates (and replaces) the thread of a running one; the promise then rejects. Resolves with
   * what the worker-side handler returned; rejects when the thread crashed or the run was refused.
   */
  run(payload: TaskPayload, options: BackendRunOptions): Promise<unknown>;
  /** Ends every thread; resolves once they have ended. */
  destroy(): Promise<void>;
}

/** Options of {@link PoolBackend.run}. */
export interface BackendRunOptions {
  /** Moved with the payload: the run's port first, then the caller's `transfer`. */
  readonly transfer: Transferable[];
  /** Aborted to terminate the run's thread (or drop the queued run). */
  readonly signal: AbortSignal;
  /** The export of the worker file to call; `undefined` for the default export. */
  readonly name: string | undefined;
}
