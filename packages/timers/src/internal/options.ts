import { type Clock, isScope, type Scope, systemClock, type WaitOptions } from "@weft/core";
import type { TimeOptions } from "../time-options.ts";
import { assertOptions, describeValue } from "./validate.ts";

/** What a timer function needs from its options, checked. */
export interface Resolved {
  /** What to hand to `suspend`: the scope, the options themselves (a signal), or nothing. */
  readonly wait: WaitOptions | undefined;
  /** The scope, when the wait is a Weft wait. */
  readonly scope: Scope | undefined;
  /** The plain signal, when the wait is not a Weft wait. */
  readonly signal: AbortSignal | undefined;
  readonly clock: Clock;
}

const none: Resolved = Object.freeze({
  wait: undefined,
  scope: undefined,
  signal: undefined,
  clock: systemClock,
});

function isClock(value: unknown): value is Clock {
  const clock = value as Partial<Clock> | null;
  return (
    typeof clock === "object" &&
    clock !== null &&
    typeof clock.now === "function" &&
    typeof clock.setTimer === "function"
  );
}

function isSignal(value: unknown): value is AbortSignal {
  const signal = value as Partial<AbortSignal> | null;
  return (
    typeof signal === "object" &&
    signal !== null &&
    typeof signal.aborted === "boolean" &&
    typeof signal.addEventListener === "function" &&
    typeof signal.removeEventListener === "function"
  );
}

/**
 * Checks `options` (a Scope, `TimeOptions` or `undefined`) and returns the wait target and clock.
 * @throws `TypeError` for a non-object, a bad `signal`, `clock` or `scope`, or both `signal` and `scope`.
 */
export function resolveOptions(options: TimeOptions | undefined): Resolved {
  if (options === undefined) return none;
  if (isScope(options))
    return { wait: options, scope: options, signal: undefined, clock: options.clock };
  assertOptions(options, "options");
  const { signal, clock, scope } = options;
  if (signal !== undefined && !isSignal(signal)) {
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${describeValue(signal)}`);
  }
  if (clock !== undefined && !isClock(clock)) {
    throw new TypeError(
      `Expected \`clock\` to be a Clock with now() and setTimer(), got ${describeValue(clock)}`,
    );
  }
  if (scope !== undefined) {
    if (!isScope(scope)) {
      throw new TypeError(`Expected \`scope\` to be a Scope, got ${describeValue(scope)}`);
    }
    if (signal !== undefined) {
      throw new TypeError(
        "Expected either `scope` or `signal`, got both (a scope already carries its signal)",
      );
    }
    return { wait: scope, scope, signal: undefined, clock: clock ?? scope.clock };
  }
  return {
    wait: signal === undefined ? undefined : options,
    scope: undefined,
    signal,
    clock: clock ?? systemClock,
  };
}

/** Whether the wait target of `resolved` is cancelled (scope) or aborted (signal). */
export function isAborted(resolved: Resolved): boolean {
  if (resolved.scope !== undefined) return resolved.scope.cancelled;
  return resolved.signal?.aborted === true;
}
