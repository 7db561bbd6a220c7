import { CancelledError, type CancelSource } from "./errors.ts";

/*
 * Which scope a `CancelledError` belongs to, and so which scope absorbs it (trio's rule): every
 * cancellation remembers the scope that created it, and only that part of the tree may catch it.
 */

/** What these rules read of a scope. */
export interface CancelNode {
  readonly parent: CancelNode | undefined;
  /** Effectively cancelled, by itself or an unshielded ancestor. */
  readonly cancelled: boolean;
  /** Cancelled by itself: its own `cancel()` or deadline. */
  readonly cancelCalled: boolean;
  readonly shield: boolean;
}

/** The scope whose cancellation created a `CancelledError`. */
const origins = new WeakMap<CancelledError, CancelNode>();

/** A new cancellation of `scope`, remembered as coming from it. */
export function createCancellation(
  scope: CancelNode,
  source: CancelSource,
  reason: unknown,
): CancelledError {
  const error = new CancelledError(undefined, { reason, source });
  origins.set(error, scope);
  return error;
}

/** Whether `error` was created by `scope`, an ancestor or a descendant. */
export function isRelated(scope: CancelNode, error: CancelledError): boolean {
  const origin = origins.get(error);
  if (origin === undefined) return false;
  for (let node: CancelNode | undefined = origin; node !== undefined; node = node.parent) {
    if (node === scope) return true;
  }
  for (let node = scope.parent; node !== undefined; node = node.parent) {
    if (node === origin) return true;
  }
  return false;
}

/**
 * Whether `scope` absorbs `error` at its boundary: it must be a cancellation from this part of the
 * tree, the scope must be cancelled itself, and no cancelled outer scope may be visible.
 */
export function absorbs(scope: CancelNode, error: unknown): boolean {
  if (!scope.cancelCalled || !CancelledError.is(error)) return false;
  if (!scope.shield && scope.parent?.cancelled) return false;
  return isRelated(scope, error);
}
