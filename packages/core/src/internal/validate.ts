/**
 * Argument validation shared by every Weft package, reached by the sibling packages through the
 * private `@weft/core/internal` entry. One message format everywhere:
 * ``Expected `name` to be <what>, got <value>``. A value of the wrong type throws `TypeError`; a
 * value of the right type outside the allowed range throws `RangeError`.
 */

import type { Clock } from "../clock.ts";

/** Renders a value for an error message: `-1` (number), `"x"` (string), `{"a":1}` (object). */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return `\`${JSON.stringify(value)}\` (string)`;
  if (typeof value === "function") return `\`${value.name || "anonymous"}\` (function)`;
  if (typeof value === "symbol") return `\`${value.toString()}\` (symbol)`;
  if (typeof value === "bigint") return `\`${value}n\` (bigint)`;
  if (value === null) return "`null`";
  if (value === undefined) return "`undefined`";
  if (typeof value === "object") {
    let text: string;
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
    if (text.length > 60) text = `${text.slice(0, 57)}...`;
    return `\`${text}\` (${Array.isArray(value) ? "array" : "object"})`;
  }
  return `\`${String(value)}\` (${typeof value})`;
}

/** The message of every argument error: ``Expected `name` to be expected, got `value` (type)``. */
export function expectedMessage(name: string, expected: string, value: unknown): string {
  return `Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`;
}

/** A `TypeError` for a `value` of the wrong type. */
export function typeError(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(expectedMessage(name, expected, value));
}

/**
 * The error for a `value` that is not `expected`: a `RangeError` when it is a number (the right
 * type, a wrong value), else a `TypeError`.
 */
export function numberError(
  value: unknown,
  name: string,
  expected: string,
): TypeError | RangeError {
  const message = expectedMessage(name, expected, value);
  return typeof value === "number" ? new RangeError(message) : new TypeError(message);
}

/** Throws a `TypeError` unless `value` is a function. */
export function assertFunction(
  value: unknown,
  name: string,
): asserts value is (...args: never[]) => unknown {
  if (typeof value !== "function") throw typeError(name, "a function", value);
}

/** Throws unless `value` is a number other than NaN (Infinity and negatives pass): a time, a priority. */
export function assertNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || Number.isNaN(value)) throw numberError(value, name, "a number");
}

/** Throws unless `value` is a non-negative number of ms, not NaN (`Infinity` passes: never). */
export function assertDuration(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !(value >= 0)) {
    throw numberError(value, name, "a non-negative number of milliseconds or Infinity");
  }
}

/** Throws unless `value` is a finite, non-negative number of ms. */
export function assertFiniteDuration(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !(value >= 0 && value !== Number.POSITIVE_INFINITY)) {
    throw numberError(value, name, "a finite non-negative number of milliseconds");
  }
}

/** Throws unless `value` is a positive integer or Infinity (a concurrency, a capacity). */
export function assertConcurrency(value: unknown, name: string): asserts value is number {
  if (
    !(value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && (value as number) >= 1))
  ) {
    throw numberError(value, name, "a positive integer or Infinity");
  }
}

/** Throws unless `value` is a non-negative safe integer (a count, a weight). */
export function assertCount(value: unknown, name: string): asserts value is number {
  if (!(Number.isSafeInteger(value) && (value as number) >= 0)) {
    throw numberError(value, name, "a non-negative integer");
  }
}

/** Throws unless `value` is a positive safe integer. */
export function assertPositiveInteger(value: unknown, name: string): asserts value is number {
  if (!(Number.isSafeInteger(value) && (value as number) >= 1)) {
    throw numberError(value, name, "a positive integer");
  }
}

/** Throws a `TypeError` unless `value` is undefined or a string. */
export function assertOptionalString(
  value: unknown,
  name: string,
): asserts value is string | undefined {
  if (value !== undefined && typeof value !== "string") throw typeError(name, "a string", value);
}

/** Throws a `TypeError` unless `value` is undefined or a boolean. */
export function assertOptionalBoolean(
  value: unknown,
  name: string,
): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") throw typeError(name, "a boolean", value);
}

/** Throws a `TypeError` unless `value` is undefined or a non-null object. */
export function assertOptions(value: unknown, name: string): asserts value is object | undefined {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw typeError(name, "an object", value);
  }
}

/** Whether `value` looks like a {@link Clock}: `now()` and `setTimer()`. */
export function isClock(value: unknown): value is Clock {
  const clock = value as Partial<Clock> | null;
  return (
    typeof clock === "object" &&
    clock !== null &&
    typeof clock.now === "function" &&
    typeof clock.setTimer === "function"
  );
}

/** Whether `value` looks like an `AbortSignal` (duck-typed, so polyfills and other realms pass). */
export function isSignal(value: unknown): value is AbortSignal {
  const signal = value as Partial<AbortSignal> | null;
  return (
    typeof signal === "object" &&
    signal !== null &&
    typeof signal.aborted === "boolean" &&
    typeof signal.addEventListener === "function" &&
    typeof signal.removeEventListener === "function"
  );
}

/** Throws a `TypeError` unless `value` is a {@link Clock}. */
export function assertClock(value: unknown, name: string): asserts value is Clock {
  if (!isClock(value)) throw typeError(name, "a Clock with now() and setTimer()", value);
}

/** Throws a `TypeError` unless `value` is an `AbortSignal`. */
export function assertSignal(value: unknown, name: string): asserts value is AbortSignal {
  if (!isSignal(value)) throw typeError(name, "an AbortSignal", value);
}
