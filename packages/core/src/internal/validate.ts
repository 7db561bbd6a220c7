/** Renders a value for an error message: `-1` (number), `"x"` (string), `[object Object]` (object). */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return `\`${JSON.stringify(value)}\` (string)`;
  if (typeof value === "function") return `\`${value.name || "anonymous"}\` (function)`;
  if (typeof value === "symbol") return `\`${value.toString()}\` (symbol)`;
  if (typeof value === "bigint") return `\`${value}n\` (bigint)`;
  if (value === null) return "`null`";
  if (value === undefined) return "`undefined`";
  if (typeof value === "object") {
    const name = Array.isArray(value) ? "array" : "object";
    let text: string;
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
    if (text.length > 60) text = `${text.slice(0, 57)}...`;
    return `\`${text}\` (${name})`;
  }
  return `\`${String(value)}\` (${typeof value})`;
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

/** Throws unless `value` is a number other than NaN (Infinity and negatives pass): a time, a priority. */
export function assertTime(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`Expected \`${name}\` to be a number, got ${describeValue(value)}`);
  }
  if (Number.isNaN(value)) {
    throw new RangeError(`Expected \`${name}\` to be a number, got \`NaN\` (number)`);
  }
}

/** Throws unless `value` is a non-negative number, not NaN (Infinity passes). */
export function assertDuration(value: unknown, name: string): asserts value is number {
  assertTime(value, name);
  if (value < 0) {
    throw new RangeError(
      `Expected \`${name}\` to be a non-negative number, got ${describeValue(value)}`,
    );
  }
}

/** Throws unless `value` is a positive integer or Infinity. */
export function assertConcurrency(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Expected \`${name}\` to be a positive integer or Infinity, got ${describeValue(value)}`,
    );
  }
  if (!(value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 1))) {
    throw new RangeError(
      `Expected \`${name}\` to be a positive integer or Infinity, got ${describeValue(value)}`,
    );
  }
}

/** Throws a `TypeError` unless `value` is undefined or a string. */
export function assertOptionalString(
  value: unknown,
  name: string,
): asserts value is string | undefined {
  if (value !== undefined && typeof value !== "string") {
    throw new TypeError(`Expected \`${name}\` to be a string, got ${describeValue(value)}`);
  }
}

/** Throws a `TypeError` unless `value` is undefined or an object. */
export function assertOptions(value: unknown, name: string): asserts value is object | undefined {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw new TypeError(`Expected \`${name}\` to be an object, got ${describeValue(value)}`);
  }
}

/** Throws unless `value` is a non-negative safe integer (a count, a weight). */
export function assertCount(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Expected \`${name}\` to be a non-negative integer, got ${describeValue(value)}`,
    );
  }
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(
      `Expected \`${name}\` to be a non-negative integer, got ${describeValue(value)}`,
    );
  }
}

/** Throws unless `value` is a positive safe integer. */
export function assertPositiveInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Expected \`${name}\` to be a positive integer, got ${describeValue(value)}`,
    );
  }
  if (!(Number.isSafeInteger(value) && value >= 1)) {
    throw new RangeError(
      `Expected \`${name}\` to be a positive integer, got ${describeValue(value)}`,
    );
  }
}
