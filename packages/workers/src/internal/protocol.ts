/**
 * The messages between a {@link WorkerPool} and a task made by `defineWorkerTask`, the same on
 * Node worker threads (piscina) and on Web Workers: free of Node imports.
 */

import type { SerialisedError } from "./error-data.ts";

/**
 * What the pool posts as the task: the input and how the worker side finds the run's control.
 * Web Workers: a `port` of this run. Node: the run's `slot` in the pool's shared run table and its
 * `id` (see `run-table.ts`).
 */
export interface TaskPayload {
  readonly weftTask: 1;
  readonly input: unknown;
  readonly port?: RunPort;
  readonly slot?: number;
  readonly id?: number;
  /** The export of the worker file to call (Web Workers; piscina picks it itself). */
  readonly name?: string;
}

/** The part of a `MessagePort` both sides use (Node's and the DOM's). */
export interface RunPort {
  postMessage(message: unknown): void;
  close(): void;
}

/** Calls `listener` with the data of every message on `port` (Node's `on`, or the DOM's events). */
export function onMessage(port: RunPort, listener: (data: unknown) => void): void {
  const node = port as RunPort & {
    on?: (type: "message", listener: (data: unknown) => void) => void;
  };
  if (typeof node.on === "function") {
    node.on("message", listener);
    return;
  }
  const dom = port as RunPort & {
    addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
    start(): void;
  };
  dom.addEventListener("message", (event) => listener(event.data));
  dom.start();
}

/** Posted by the worker when the task begins: from then on the run is running. */
export const STARTED = "started";
/** Posted by the pool to abort the worker-side signal. */
export const ABORT = "abort";
/** Posted by a Web Worker once its file has loaded and it listens for runs. */
export const READY = "weft:ready";

/** What the task returns: the output or the serialised error. */
export type TaskOutcome =
  | { readonly weftOutcome: 1; readonly ok: true; readonly value: unknown }
  | { readonly weftOutcome: 1; readonly ok: false; readonly error: SerialisedError };

/** Whether `value` is a {@link TaskPayload}. */
export function isTaskPayload(value: unknown): value is TaskPayload {
  return typeof value === "object" && value !== null && (value as TaskPayload).weftTask === 1;
}

/** Whether `value` is a {@link TaskOutcome}. */
export function isTaskOutcome(value: unknown): value is TaskOutcome {
  return typeof value === "object" && value !== null && (value as TaskOutcome).weftOutcome === 1;
}

/**
 * What a worker-side task sees of its run's control: whether it may begin, and the cancellation.
 */
export interface TaskControl {
  /** Marks the run as begun; `false` when it was cancelled before it could begin. */
  begin(): boolean;
  /** Calls `listener` once if the pool cancels the run (not after `end`). */
  onAbort(listener: () => void): void;
  /** The run is over: no more cancellation reaches it. */
  end(): void;
}

/** The control of a run whose payload carries a `port` (the Web Worker pool's runs). */
export function portTaskControl(port: RunPort): TaskControl {
  let aborted: (() => void) | undefined;
  onMessage(port, (message) => {
    if (message === ABORT) aborted?.();
  });
  return {
    begin() {
      port.postMessage(STARTED);
      return true;
    },
    onAbort(listener) {
      aborted = listener;
    },
    end() {
      aborted = undefined;
      port.close();
    },
  };
}
