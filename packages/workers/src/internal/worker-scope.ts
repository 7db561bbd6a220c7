/**
 * The worker side in browsers: in a dedicated Web Worker, the first `defineWorkerTask` call makes
 * the worker listen for runs, answer each with its task's outcome, and post `READY`. A run names
 * the export to call; the worker finds it by importing its own module (the same instance).
 */

import { serialiseError } from "./error-data.ts";
import { isTaskPayload, READY, type TaskOutcome, type TaskPayload } from "./protocol.ts";

/** The part of a `DedicatedWorkerGlobalScope` used here. */
interface DedicatedWorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  readonly location: { readonly href: string };
}

let serving = false;

/** `globalThis` when this code runs in a dedicated Web Worker. */
function dedicatedWorkerScope(): DedicatedWorkerScope | undefined {
  const scopeClass = (globalThis as { DedicatedWorkerGlobalScope?: unknown })
    .DedicatedWorkerGlobalScope;
  if (typeof scopeClass !== "function" || !(globalThis instanceof scopeClass)) return undefined;
  return globalThis as unknown as DedicatedWorkerScope;
}

function failure(error: unknown): TaskOutcome {
  return { weftOutcome: 1, ok: false, error: serialiseError(error) };
}

async function answer(
  scope: DedicatedWorkerScope,
  exports: Promise<Record<string, unknown>>,
  payload: TaskPayload,
): Promise<void> {
  const name = payload.name ?? "default";
  let outcome: unknown;
  try {
    const handler = (await exports)[name];
    if (typeof handler !== "function") {
      throw new TypeError(`The worker file ${scope.location.href} has no task export \`${name}\``);
    }
    outcome = await handler(payload);
  } catch (error) {
    outcome = failure(error);
  }
  try {
    scope.postMessage(outcome);
  } catch (error) {
    // The output could not be cloned: the run fails with that error.
    scope.postMessage(failure(error));
  }
}

/** Serves runs in this dedicated Web Worker (once; nothing elsewhere, e.g. on a page or in Node). */
export function serveWorkerScope(): void {
  if (serving) return;
  const scope = dedicatedWorkerScope();
  if (scope === undefined) return;
  serving = true;
  let exports: Promise<Record<string, unknown>> | undefined;
  scope.addEventListener("message", (event) => {
    const payload: unknown = event.data;
    if (!isTaskPayload(payload)) return;
    exports ??= import(/* @vite-ignore */ scope.location.href) as Promise<Record<string, unknown>>;
    void answer(scope, exports, payload);
  });
  scope.postMessage(READY);
}
