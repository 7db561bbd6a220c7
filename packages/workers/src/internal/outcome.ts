/**
 * Error revival: what a worker sent back (or how its run failed) turned into the caller's value or
 * error. Cancellation never comes through here: a cancelled run settles with its reason.
 */

import { WorkerError } from "../worker-error.ts";
import { reviveError } from "./error-data.ts";
import { isTaskOutcome } from "./protocol.ts";

/** How a run settles: its output, or the error its caller's promise rejects with. */
export type RunResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/** The caller's result for what the worker-side handler returned. */
export function readOutcome(outcome: unknown): RunResult {
  if (!isTaskOutcome(outcome)) {
    return {
      ok: false,
      error: new WorkerError("The worker file's export is not made by defineWorkerTask"),
    };
  }
  if (outcome.ok) return { ok: true, value: outcome.value };
  const cause = reviveError(outcome.error);
  const error = new WorkerError(cause.message, { cause });
  if (cause.stack !== undefined) error.stack = cause.stack;
  return { ok: false, error };
}

/** The caller's result for a run the pool could not complete: a crash, a refusal, a bad file. */
export function crashResult(error: unknown): RunResult {
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: new WorkerError(message, { cause: error }) };
}
