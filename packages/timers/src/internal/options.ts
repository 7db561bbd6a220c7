import { type Clock, isScope, type Scope, systemClock, type WaitOptions } from "@weft/core";
import { assertOptions, describeValue, isClock, isSignal, typeError } from "@weft/core/internal";
import type { TimeOptions } from "../time-options.ts";

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
    throw typeError("signal", "an AbortSignal", signal);
  }
  if (clock !== undefined && !isClock(clock)) {
    throw typeError("clock", "a Clock with now() and setTimer()", clock);
  }
  if (scope !== undefined) {
    if (!isScope(scope)) {
      throw typeError("scope", "a Scope", scope);
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

/**
 * Throws a `RangeError` for an endless wait (`time` is `Infinity`) that nothing can cancel: with no
 * scope and no signal in the options it would hang forever, silently.
 */
export function assertEnds(resolved: Resolved, time: number, name: string): void {
  if (time === Number.POSITIVE_INFINITY && resolved.wait === undefined) {
    throw new RangeError(
      `Expected \`${name}\` to be finite when no scope or signal is given, got ${describeValue(time)}: nothing could ever end the wait (pass a scope or \`{ signal }\`)`,
    );
  }
}

/** Throws a `TypeError` naming `options` unless `resolved` carries a scope or a signal. */
export function assertCancellable(resolved: Resolved, options: unknown): void {
  if (resolved.wait === undefined) {
    throw new TypeError(
      `Expected \`options\` to be a scope or \`{ signal }\`, got ${describeValue(options)}: without a scope or signal nothing could ever end the wait`,
    );
  }
}
