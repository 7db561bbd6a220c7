/**
 * The private entry `@weft/core/internal`: helpers shared by Weft's own packages. It is not public
 * API: it is left out of the documentation and may change in any release.
 * @internal
 * @packageDocumentation
 */

export { completesNow, exitedScopeError, markBlocked, passesCheckpoint } from "../suspend.ts";
export { addBrand, hasBrand } from "./brand.ts";
export { deferExit } from "./exit-cleanups.ts";
export { macrotask } from "./macrotask.ts";
export { reportUncaught } from "./report.ts";
export { shuffleOf } from "./seeded.ts";
export {
  assertClock,
  assertConcurrency,
  assertCount,
  assertDuration,
  assertFiniteDuration,
  assertFunction,
  assertNumber,
  assertOptionalBoolean,
  assertOptionalString,
  assertOptions,
  assertPositiveInteger,
  assertSignal,
  describeValue,
  expectedMessage,
  isClock,
  isSignal,
  numberError,
  typeError,
} from "./validate.ts";
export { assertWaitOptions, assertWaitTarget } from "./wait-options.ts";
