import { ChildScope } from "./child-scope.ts";
import { TimeoutError } from "./errors.ts";
import { hasExitCleanups, runExitCleanups } from "./internal/exit-cleanups.ts";
import {
  assertFunction,
  assertNumber,
  assertOptionalString,
  assertOptions,
  describeValue,
} from "./internal/validate.ts";
import { toScope } from "./is-scope.ts";
import type { ScopeImpl } from "./scope.ts";
import { assertOpen } from "./suspend.ts";
import type { Scope } from "./types.ts";

/**
 * Options of {@link cancelScope}.
 * @example
 * ```ts
 * import { type CancelScopeOptions, cancelScope, checkpoint, run } from "@weft/core";
 *
 * const options: CancelScopeOptions = { timeout: 0, name: "already late" };
 * const value = await run((scope) => cancelScope(scope, (s) => checkpoint(s).then(() => "ran"), options));
 * console.log(value); // undefined
 * ```
 */
export interface CancelScopeOptions {
  /** An absolute deadline on the parent's clock. Not together with `timeout`. */
  deadline?: number | undefined;
  /** A deadline relative to now, in ms. Zero or negative: the body starts cancelled. */
  timeout?: number | undefined;
  /** Block cancellation coming from ancestors (for cleanup that must finish). */
  shield?: boolean | undefined;
  /** A name for task dumps. */
  name?: string | undefined;
}

/**
 * Runs `body` in a new child scope that can be cancelled on its own, by `cancel()`, by its deadline,
 * or with its parent.
 *
 * When the body throws the `CancelledError` of this scope's own cancellation, the scope absorbs it
 * (`cancelledCaught` becomes `true`) and resolves `undefined`. Other errors, and cancellations of
 * outer scopes, propagate. It never returns before the body, cleanup included, has finished.
 *
 * @param parent - The enclosing scope.
 * @param body - Runs with the new scope.
 * @param options - Deadline or timeout, shield, name.
 * @returns The body's value, or `undefined` if the scope absorbed its cancellation.
 * @throws `TypeError`/`RangeError` (synchronously) for bad arguments, e.g. both `deadline` and `timeout`.
 * @example
 * ```ts
 * import { cancelScope, checkpoint, run } from "@weft/core";
 *
 * await run(async (scope) => {
 *   const value = await cancelScope(scope, async (inner) => {
 *     inner.cancel();
 *     await checkpoint(inner);
 *     return "never";
 *   });
 *   console.log(value); // undefined
 * });
 * ```
 */
export function cancelScope<T>(
  parent: Scope,
  body: (scope: Scope) => Promise<T>,
  options?: CancelScopeOptions,
): Promise<T | undefined> {
  const scope = openScope(parent, body, options);
  return runScope(scope, body);
}

function openScope(
  parent: Scope,
  body: unknown,
  options: CancelScopeOptions | undefined,
): ScopeImpl {
  const outer = toScope(parent, "parent");
  assertFunction(body, "body");
  assertOptions(options, "options");
  const deadline = options?.deadline;
  const timeout = options?.timeout;
  const shield = options?.shield ?? false;
  if (deadline !== undefined) assertNumber(deadline, "deadline");
  if (timeout !== undefined) assertNumber(timeout, "timeout");
  if (deadline !== undefined && timeout !== undefined) {
    throw new TypeError(
      `Expected either \`deadline\` or \`timeout\`, got both (\`${deadline}\` and \`${timeout}\`)`,
    );
  }
  if (typeof shield !== "boolean") {
    throw new TypeError(`Expected \`shield\` to be a boolean, got ${describeValue(shield)}`);
  }
  assertOptionalString(options?.name, "name");
  const scope = new ChildScope(outer, options?.name ?? "cancelScope", shield);
  try {
    if (timeout !== undefined) scope.deadline = outer.clock.now() + Math.max(0, timeout);
    else if (deadline !== undefined) scope.deadline = deadline;
  } catch (error) {
    // The clock's setTimer threw: the call rejects with that (it does not throw), and exits the scope.
    clockFailures.set(scope, error);
  }
  return scope;
}

/** Errors thrown by the clock while a new scope armed its deadline; `runScope` rejects with them. */
const clockFailures = new WeakMap<ScopeImpl, unknown>();

async function runScope<T>(
  scope: ScopeImpl,
  body: (scope: Scope) => Promise<T>,
  label = "cancelScope",
): Promise<T | undefined> {
  let failed = false;
  try {
    if (clockFailures.has(scope)) throw clockFailures.get(scope);
    if (scope.parent !== undefined) assertOpen(scope.parent, label);
    return await body(scope);
  } catch (error) {
    if (!scope.absorbs(error)) {
      failed = true;
      throw error;
    }
    scope.markCaught();
    return undefined;
  } finally {
    const failure = hasExitCleanups(scope) ? await runExitCleanups(scope) : undefined;
    scope.exit();
    // A clean-up that failed fails the scope, unless it was failing already.
    // biome-ignore lint/correctness/noUnsafeFinally: replacing the outcome is the point here
    if (failure !== undefined && !failed) throw failure.error;
  }
}

async function failing<T>(
  scope: ScopeImpl,
  body: (scope: Scope) => Promise<T>,
  what: string,
): Promise<T> {
  const value = await runScope(scope, body, scope.name);
  if (scope.cancelledCaught) throw new TimeoutError(`${what} timed out`, { cause: scope.error });
  return value as T;
}

/**
 * Runs `body` with a timeout of `ms`; when it passes, the body is cancelled and `moveOnAfter`
 * resolves `undefined` once the body has finished. Zero or negative `ms`: the body starts and its
 * first checkpoint throws.
 *
 * @param parent - The enclosing scope.
 * @param ms - The timeout in milliseconds (`Infinity`: none).
 * @param body - Runs with the new scope.
 * @returns The body's value, or `undefined` if the timeout hit.
 * @throws `RangeError` (synchronously) for a `NaN` timeout; `TypeError` for a non-function body.
 * @example
 * ```ts
 * import { moveOnAfter, run } from "@weft/core";
 *
 * await run(async (scope) => {
 *   const value = await moveOnAfter(scope, 1000, async () => "quick");
 *   console.log(value); // quick
 * });
 * ```
 */
export function moveOnAfter<T>(
  parent: Scope,
  ms: number,
  body: (scope: Scope) => Promise<T>,
): Promise<T | undefined> {
  assertNumber(ms, "ms");
  return runScope(
    openScope(parent, body, { timeout: ms, name: "moveOnAfter" }),
    body,
    "moveOnAfter",
  );
}

/**
 * Runs `body` until the absolute `deadline` on the parent's clock; then the body is cancelled and
 * `moveOnAt` resolves `undefined` once the body has finished.
 *
 * @param parent - The enclosing scope.
 * @param deadline - The absolute deadline on `parent.clock`.
 * @param body - Runs with the new scope.
 * @returns The body's value, or `undefined` if the deadline hit.
 * @throws `RangeError` (synchronously) for a `NaN` deadline.
 * @example
 * ```ts
 * import { moveOnAt, run } from "@weft/core";
 *
 * await run(async (scope) => {
 *   const value = await moveOnAt(scope, scope.clock.now() + 1000, async () => 42);
 *   console.log(value); // 42
 * });
 * ```
 */
export function moveOnAt<T>(
  parent: Scope,
  deadline: number,
  body: (scope: Scope) => Promise<T>,
): Promise<T | undefined> {
  return runScope(openScope(parent, body, { deadline, name: "moveOnAt" }), body, "moveOnAt");
}

/**
 * Runs `body` with a timeout of `ms`; when it passes, the body is cancelled and, once it has
 * finished, `failAfter` rejects with {@link TimeoutError} (also after an explicit `cancel()` of its
 * scope). A body that swallows the cancellation and returns a value resolves normally.
 *
 * @param parent - The enclosing scope.
 * @param ms - The timeout in milliseconds (`Infinity`: none).
 * @param body - Runs with the new scope.
 * @returns The body's value.
 * @throws {@link TimeoutError} when the scope absorbed a cancellation; `RangeError` (synchronously) for `NaN`.
 * @example
 * ```ts
 * import { failAfter, run } from "@weft/core";
 *
 * await run(async (scope) => {
 *   console.log(await failAfter(scope, 1000, async () => "in time")); // in time
 * });
 * ```
 */
export function failAfter<T>(
  parent: Scope,
  ms: number,
  body: (scope: Scope) => Promise<T>,
): Promise<T> {
  assertNumber(ms, "ms");
  return failing(
    openScope(parent, body, { timeout: ms, name: "failAfter" }),
    body,
    `failAfter(${ms})`,
  );
}

/**
 * Runs `body` until the absolute `deadline`; then the body is cancelled and, once it has finished,
 * `failAt` rejects with {@link TimeoutError}.
 *
 * @param parent - The enclosing scope.
 * @param deadline - The absolute deadline on `parent.clock`.
 * @param body - Runs with the new scope.
 * @returns The body's value.
 * @throws {@link TimeoutError} when the scope absorbed a cancellation; `RangeError` (synchronously) for `NaN`.
 * @example
 * ```ts
 * import { failAt, run } from "@weft/core";
 *
 * await run(async (scope) => {
 *   console.log(await failAt(scope, scope.clock.now() + 1000, async () => "in time")); // in time
 * });
 * ```
 */
export function failAt<T>(
  parent: Scope,
  deadline: number,
  body: (scope: Scope) => Promise<T>,
): Promise<T> {
  return failing(
    openScope(parent, body, { deadline, name: "failAt" }),
    body,
    `failAt(${deadline})`,
  );
}
