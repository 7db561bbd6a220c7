/*
 * Brands: how Weft's classes recognise their instances across duplicate copies of a package (two
 * versions in one `node_modules`), where `instanceof` fails. Each branded class marks its prototype
 * with a `Symbol.for` key, and its static `is(value)` guard checks for that mark.
 */

/** Marks every instance of `type` with `brand` (a `Symbol.for` key). */
export function addBrand(type: { readonly prototype: object }, brand: symbol): void {
  Object.defineProperty(type.prototype, brand, { value: true });
}

/** Whether `value` carries `brand` (a `Symbol.for` key), so that checks work across copies of core. */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === "object" && value !== null && Reflect.get(value, brand) === true;
}
