import { isScope } from "../is-scope.ts";
import { expectedMessage, isSignal } from "./validate.ts";

/**
 * Throws a `TypeError` unless `value` is `undefined`, a Scope, or an object whose `signal` is an
 * `AbortSignal`: the checked forms of a wait's options.
 *
 * An object without a signal (`{}`, `{ scope }`, `{ signal: undefined }`) would start a wait that
 * nothing can cancel, which hangs silently when the thing waited for never comes. Leaving the
 * argument out still means "not cancellable", on purpose.
 */
export function assertWaitOptions(value: unknown, name: string): void {
  if (value === undefined || isScope(value)) return;
  const expected = "a Scope, `{ signal }` or undefined";
  if (typeof value !== "object" || value === null) {
    throw new TypeError(expectedMessage(name, expected, value));
  }
  if (!isSignal((value as { signal?: unknown }).signal)) {
    throw new TypeError(
      `${expectedMessage(name, expected, value)}: without a signal nothing can cancel the wait, so it could hang forever (pass the scope itself)`,
    );
  }
}

/**
 * Throws a `TypeError` unless `value` is a Scope or an object whose `signal` is an `AbortSignal`:
 * for the calls whose scope is required (`withLock`, `withPermit`), where a forgotten scope would
 * hold a lock or permit past every cancellation.
 */
export function assertWaitTarget(value: unknown, name: string): void {
  if (value === undefined) {
    throw new TypeError(
      `${expectedMessage(name, "a Scope or `{ signal }`", value)}: pass the scope whose cancellation should end the wait`,
    );
  }
  assertWaitOptions(value, name);
}
