/**
 * The messages between a {@link WorkerPool} and a task made by `defineWorkerTask`. Kept free of
 * Node imports so that a Web Worker backend can speak the same protocol.
 */

/** What the pool posts as the task: the input and the port of this run. */
export interface TaskPayload {
  readonly weftTask: 1;
  readonly input: unknown;
  readonly port: RunPort;
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

/** What the task returns: the output or the serialised error. */
export type TaskOutcome =
  | { readonly weftOutcome: 1; readonly ok: true; readonly value: unknown }
  | { readonly weftOutcome: 1; readonly ok: false; readonly error: SerialisedError };

/** An error as plain, cloneable data. */
export interface SerialisedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly cause?: SerialisedError | { readonly value: unknown };
  readonly props: Record<string, unknown>;
}

/** Whether `value` is a {@link TaskPayload}. */
export function isTaskPayload(value: unknown): value is TaskPayload {
  return typeof value === "object" && value !== null && (value as TaskPayload).weftTask === 1;
}

/** Whether `value` is a {@link TaskOutcome}. */
export function isTaskOutcome(value: unknown): value is TaskOutcome {
  return typeof value === "object" && value !== null && (value as TaskOutcome).weftOutcome === 1;
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** `error` as data: name, message, stack, cause (recursively, 8 levels) and own cloneable props. */
export function serialiseError(error: unknown, depth = 0): SerialisedError {
  if (!(error instanceof Error) && !(typeof error === "object" && error !== null)) {
    return { name: "Error", message: String(error), stack: undefined, props: {} };
  }
  const source = error as Error & Record<string, unknown>;
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === "name" || key === "message" || key === "stack" || key === "cause") continue;
    if (cloneable(source[key])) props[key] = source[key];
  }
  const serialised: SerialisedError = {
    name: typeof source.name === "string" ? source.name : "Error",
    message: typeof source.message === "string" ? source.message : String(error),
    stack: typeof source.stack === "string" ? source.stack : undefined,
    props,
  };
  if (!("cause" in source) || depth >= 8) return serialised;
  const cause = source.cause;
  return {
    ...serialised,
    cause:
      typeof cause === "object" && cause !== null
        ? serialiseError(cause, depth + 1)
        : { value: cloneable(cause) ? cause : String(cause) },
  };
}

/** An `Error` rebuilt from {@link serialiseError}'s data, with the original name. */
export function reviveError(data: SerialisedError): Error {
  const cause =
    data.cause === undefined
      ? undefined
      : "value" in data.cause
        ? { cause: data.cause.value }
        : { cause: reviveError(data.cause) };
  const error = new Error(data.message, cause);
  Object.defineProperty(error, "name", { value: data.name, configurable: true, writable: true });
  if (data.stack !== undefined) {
    Object.defineProperty(error, "stack", {
      value: data.stack,
      configurable: true,
      writable: true,
    });
  }
  Object.assign(error, data.props);
  return error;
}
