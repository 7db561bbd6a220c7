// Figures: medians, growth exponents and their formatting.

/** Median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The exponent k of t ∝ nᵏ between two sizes: 1 is linear, 2 quadratic. */
export const growth = (n1, t1, n2, t2) => Math.log(t2 / t1) / Math.log(n2 / n1);

/** A number with three significant digits, grouped by thousands when large. */
export function figure(value) {
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(3);
}

/** 1000 → 10³. */
export function power(n) {
  const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  const exponent = Math.log10(n);
  if (!Number.isInteger(exponent) || n < 10) return n.toLocaleString("en-US");
  return `10${[...String(exponent)].map((d) => digits[Number(d)]).join("")}`;
}
