import { macrotask } from "@weft/core/internal";

/**
 * The platform's own time functions, captured when this module loads, before any harness replaces
 * the globals. The harness runs on these, never on the virtual ones it installs.
 */
interface TimerGlobals {
  setTimeout(callback: () => void, ms: number): unknown;
}

const globals = globalThis as unknown as TimerGlobals;
const realSetTimeout = globals.setTimeout.bind(globalThis);
const realPerformanceNow = performance.now.bind(performance);

/** Real monotonic time in milliseconds. */
export function realNow(): number {
  return realPerformanceNow();
}

/** Resolves after one real macrotask turn: every pending microtask has run by then. */
export const realTurn: () => Promise<void> = macrotask;

/** Resolves after `ms` of real time. */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}
