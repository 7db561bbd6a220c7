/**
 * The worker side of a run, shared by the Node and the browser build: the task's context (its
 * signal made only when the task asks for it), its control, and the outcome sent back.
 */

import { serialiseError } from "./error-data.ts";
import { isTaskPayload, type TaskControl, type TaskOutcome, type TaskPayload } from "./protocol.ts";

/** The reason a cancelled run's worker-side signal aborts with. */
function cancelledReason(): DOMException {
  return new DOMException("The run was cancelled", "AbortError");
}

/** A task's `{ signal }`: the `AbortController` is made on first read of `signal`. */
class RunContext {
  #controller: AbortController | undefined = undefined;
  #reason: DOMException | undefined = undefined;

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(): void {
    if (this.#reason !== undefined) return;
    this.#reason = cancelledReason();
    this.#controller?.abort(this.#reason);
  }
}

/** The handler of `task`: runs it on each payload, with the control `open` finds for the payload. */
export function taskHandler<In, Out>(
  task: (input: In, context: { readonly signal: AbortSignal }) => Out | Promise<Out>,
  open: (payload: TaskPayload) => TaskControl,
): (payload: unknown) => Promise<TaskOutcome> {
  return async (payload: unknown): Promise<TaskOutcome> => {
    if (!isTaskPayload(payload)) {
      throw new TypeError("A weft worker task must be run through openWorkerPool()");
    }
    const control = open(payload);
    try {
      // Taken back before it began: the caller has settled and the task must not run.
      if (!control.begin())
        return { weftOutcome: 1, ok: false, error: serialiseError(cancelledReason()) };
      const context = new RunContext();
      control.onAbort(() => context.abort());
      const value = await task(payload.input as In, context);
      return { weftOutcome: 1, ok: true, value };
    } catch (error) {
      return { weftOutcome: 1, ok: false, error: serialiseError(error) };
    } finally {
      control.end();
    }
  };
}
