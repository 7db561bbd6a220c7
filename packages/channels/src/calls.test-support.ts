// Shared by the model-based properties of this package; never shipped (see `files` in package.json).
import { CancelledError, cancelScope, type Scope, type TaskGroup } from "@weft/core";
import { ChannelClosedError } from "./index.ts";

/** What a call came to, as a model states it: its value, or the name of its error. */
export type Settled<T> = { readonly value: T } | { readonly error: string };

/** The real side's blocking calls: the group they run in and how to cancel each. */
export interface Calls {
  readonly group: TaskGroup;
  readonly cancels: Map<number, () => void>;
}

/**
 * Names an error the way the models do: `"cancelled"`, `"closed"` (a `ChannelClosedError`), or
 * the name under which `known` holds it.
 */
export function nameError(error: unknown, known: Readonly<Record<string, unknown>>): string {
  if (CancelledError.is(error)) return "cancelled";
  if (ChannelClosedError.is(error)) return "closed";
  for (const [name, value] of Object.entries(known)) if (error === value) return name;
  return `unexpected ${String(error)}`;
}

/**
 * Starts call `op` as a task of its own, in a cancel scope that `calls.cancels` can cancel; passes
 * what it came to (its value, or its error named by `nameError`) to `settled`.
 */
export function startCall<T>(
  calls: Calls,
  op: number,
  call: (scope: Scope) => Promise<T>,
  known: Readonly<Record<string, unknown>>,
  settled: (outcome: Settled<T>) => void,
): void {
  calls.group.spawn((task) =>
    cancelScope(task, (scope) => {
      calls.cancels.set(op, () => scope.cancel());
      return call(scope).then(
        (value) => settled({ value }),
        (error: unknown) => settled({ error: nameError(error, known) }),
      );
    }),
  );
}
