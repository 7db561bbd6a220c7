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

function assertNumber(value: unknown, name: string, expected: string): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`);
  }
}

/** A duration in ms: a non-negative number, `Infinity` allowed (never). Throws otherwise. */
export function assertDuration(value: unknown, name: string): asserts value is number {
  const expected = "a non-negative number of milliseconds or Infinity";
  assertNumber(value, name, expected);
  if (!(value >= 0)) {
    throw new RangeError(`Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`);
  }
}

/** A finite, non-negative duration in ms. Throws otherwise. */
export function assertFiniteDuration(value: unknown, name: string): asserts value is number {
  const expected = "a finite non-negative number of milliseconds";
  assertNumber(value, name, expected);
  if (!(value >= 0 && value !== Number.POSITIVE_INFINITY)) {
    throw new RangeError(`Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`);
  }
}

/** An absolute time on a clock: any number but NaN. Throws otherwise. */
export function assertTime(value: unknown, name: string): asserts value is number {
  assertNumber(value, name, "a number");
  if (Number.isNaN(value)) {
    throw new RangeError(`Expected \`${name}\` to be a number, got \`NaN\` (number)`);
  }
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
