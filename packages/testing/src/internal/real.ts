/**
 * The platform's own time functions, captured when this module loads, before any harness replaces
 * the globals. The harness runs on these, never on the virtual ones it installs.
 */
interface TimerGlobals {
  setTimeout(callback: () => void, ms: number): unknown;
  setImmediate?: (callback: () => void) => unknown;
}

const globals = globalThis as unknown as TimerGlobals;
const realSetTimeout = globals.setTimeout.bind(globalThis);
const realSetImmediate = globals.setImmediate?.bind(globalThis);
const realPerformanceNow = performance.now.bind(performance);

/** Real monotonic time in milliseconds. */
export function realNow(): number {
  return realPerformanceNow();
}

/** Resolves after one real macrotask turn: every pending microtask has run by then. */
export function realTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (realSetImmediate !== undefined) realSetImmediate(resolve);
    else realSetTimeout(resolve, 0);
  });
}

/** Resolves after `ms` of real time. */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}
