/**
 * Asynchronous clean-ups that a scope's exit waits for: how a resource a scope owns (a worker pool)
 * is sure to have stopped before the scope's `run`, `taskGroup`, cancel scope or task settles,
 * without the owner's code having to `await using` it.
 *
 * Only scopes that have clean-ups pay for them: a flag bit says so, and the functions live in a
 * side table, so the record of every task stays as small as it is.
 */

import { CLEANUPS } from "../flags.ts";
import { toScope } from "../is-scope.ts";
import type { ScopeImpl } from "../scope.ts";
import type { Scope } from "../types.ts";
import { assertFunction } from "./validate.ts";

const table = new WeakMap<ScopeImpl, Array<() => Promise<void>>>();

/**
 * Registers `cleanup` to run when `scope`'s body (and, for a group, its tasks) has finished and
 * before the scope's exit completes; clean-ups run one after the other, the last registered first.
 * A clean-up that rejects makes the scope's operation reject with that error, unless it was failing
 * already. `scope` must be a Weft scope that has not exited.
 * @returns A function that removes the clean-up (for a resource closed early).
 */
export function deferExit(scope: Scope, cleanup: () => Promise<void>): () => void {
  const impl = toScope(scope, "scope");
  assertFunction(cleanup, "cleanup");
  let list = table.get(impl);
  if (list === undefined) {
    list = [];
    table.set(impl, list);
    impl.flags |= CLEANUPS;
  }
  list.push(cleanup);
  return () => {
    const index = list.indexOf(cleanup);
    if (index !== -1) list.splice(index, 1);
  };
}

/** Whether `scope` has clean-ups to wait for (one bit test: free on the path of every task). */
export function hasExitCleanups(scope: ScopeImpl): boolean {
  return (scope.flags & CLEANUPS) !== 0;
}

/**
 * Runs and forgets `scope`'s clean-ups, last registered first. Resolves with `{ error }` of the first
 * that rejected, or `undefined`; never rejects.
 */
export async function runExitCleanups(scope: ScopeImpl): Promise<{ error: unknown } | undefined> {
  const list = table.get(scope);
  table.delete(scope);
  scope.flags &= ~CLEANUPS;
  let failure: { error: unknown } | undefined;
  for (let cleanup = list?.pop(); cleanup !== undefined; cleanup = list?.pop()) {
    try {
      await cleanup();
    } catch (error) {
      failure ??= { error };
    }
  }
  return failure;
}
