import { hasBrand } from "./internal/brand.ts";
import { describeValue } from "./internal/validate.ts";
import { SCOPE_BRAND, ScopeImpl } from "./scope.ts";
import type { Scope } from "./types.ts";

/**
 * Whether `value` is a Weft {@link Scope} (also one made by another copy of this package).
 * @param value - Anything.
 * @returns `true` for a scope.
 * @example
 * ```ts
 * import { isScope, run } from "@weft/core";
 *
 * await run(async (scope) => {
 *   console.log(isScope(scope), isScope({ signal: scope.signal })); // true false
 * });
 * ```
 */
export function isScope(value: unknown): value is Scope {
  return hasBrand(value, SCOPE_BRAND);
}

/** Returns `value` as a scope of this copy of core, or throws a `TypeError` naming `name`. */
export function toScope(value: unknown, name: string): ScopeImpl {
  if (value instanceof ScopeImpl) return value;
  if (isScope(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be a Scope of this copy of @weft/core; two copies of @weft/core are loaded`,
    );
  }
  throw new TypeError(`Expected \`${name}\` to be a Scope, got ${describeValue(value)}`);
}
