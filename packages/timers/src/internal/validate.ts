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

/**
 * The error for a `value` that is not `expected`: a `RangeError` when it is a number, else a
 * `TypeError`, its message naming the value.
 */
export function numberError(
  value: unknown,
  name: string,
  expected: string,
): TypeError | RangeError {
  const message = `Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`;
  return typeof value === "number" ? new RangeError(message) : new TypeError(message);
}

/** A duration in ms: a non-negative number, `Infinity` allowed (never). Throws otherwise. */
export function assertDuration(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !(value >= 0)) {
    throw numberError(value, name, "a non-negative number of milliseconds or Infinity");
  }
}

/** A finite, non-negative duration in ms. Throws otherwise. */
export function assertFiniteDuration(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !(value >= 0 && value !== Number.POSITIVE_INFINITY)) {
    throw numberError(value, name, "a finite non-negative number of milliseconds");
  }
}

/** An absolute time on a clock: any number but NaN. Throws otherwise. */
export function assertTime(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || Number.isNaN(value)) throw numberError(value, name, "a number");
}

/** Throws a `TypeError` unless `value` is a function. */
export function assertFunction(
  value: unknown,
  name: string,
): asserts value is (...args: never[]) => unknown {
  if (typeof value !== "function") {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${describeValue(value)}`);
  }
}

/** Throws a `TypeError` unless `value` is undefined or a non-null object. */
export function assertOptions(value: unknown, name: string): asserts value is object | undefined {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw new TypeError(`Expected \`${name}\` to be an object, got ${describeValue(value)}`);
  }
}
