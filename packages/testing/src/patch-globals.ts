import { timeoutSignal } from "@weft/timers";
import { fakeDate, fakeHrtime } from "./internal/fake-clock-globals.ts";
import {
  type Callback,
  type FakeTimer,
  type TimerKind,
  TimerRegistry,
} from "./internal/fake-timer.ts";
import { timersPromises } from "./internal/fake-timers-promises.ts";
import type { TestClock } from "./test-clock.ts";

export type { TimerKind };

/** One replaced property, and how to put the original back. */
interface Patch {
  target: object;
  key: PropertyKey;
  original: PropertyDescriptor | undefined;
}

/** The globals installed for one run: how to restore them, and what is still pending. */
export interface InstalledGlobals {
  /** The patched timers still pending, for leak detection. */
  pending(): { kind: TimerKind; due: number }[];
  /** Clears the pending patched timers. */
  clear(): void;
  /** Restores every original; idempotent. */
  restore(): void;
}

type NodeProcess = { getBuiltinModule?: (id: string) => unknown; hrtime?: unknown };

/**
 * Replaces the platform's time functions with ones on `clock`: `setTimeout`, `setInterval`,
 * `setImmediate` and their `clear*`, `Date` (`epoch + clock.now()`), `performance.now`,
 * `AbortSignal.timeout`, and, on Node, `process.hrtime` (with `hrtime.bigint`) and the same
 * functions of `node:timers` and `node:timers/promises`.
 */
export function installGlobals(clock: TestClock, epoch: number): InstalledGlobals {
  const registry = new TimerRegistry(clock);
  const patches: Patch[] = [];
  const patch = (target: object, key: PropertyKey, value: unknown): void => {
    const original = Object.getOwnPropertyDescriptor(target, key);
    patches.push({ target, key, original });
    Object.defineProperty(target, key, {
      value,
      writable: true,
      configurable: true,
      enumerable: original?.enumerable ?? false,
    });
  };

  const timerFunctions = timerGlobals(registry);
  for (const [key, value] of Object.entries(timerFunctions)) {
    if (key.endsWith("Immediate") && !(key in globalThis)) continue;
    patch(globalThis, key, value);
  }
  patch(globalThis, "Date", fakeDate(clock, epoch));
  patch(performance, "now", () => clock.now());
  patch(AbortSignal, "timeout", (ms: number) => timeoutSignal(ms, { clock }));

  const nodeProcess = (globalThis as { process?: NodeProcess }).process;
  if (typeof nodeProcess?.hrtime === "function") patch(nodeProcess, "hrtime", fakeHrtime(clock));
  const load = (id: string): Record<string, unknown> | undefined =>
    nodeProcess?.getBuiltinModule?.(id) as Record<string, unknown> | undefined;
  const timersModule = load("node:timers");
  const promisesModule = load("node:timers/promises");
  if (timersModule !== undefined) {
    for (const [key, value] of Object.entries(timerFunctions)) patch(timersModule, key, value);
  }
  if (promisesModule !== undefined) {
    const promises = timersPromises(timerFunctions.setTimeout);
    for (const [key, value] of Object.entries(promises)) patch(promisesModule, key, value);
  }
  const syncESM = (): void => {
    const moduleApi = load("node:module") as { syncBuiltinESMExports?: () => void } | undefined;
    moduleApi?.syncBuiltinESMExports?.();
  };
  syncESM();

  let restored = false;
  return {
    pending: () =>
      [...registry.active.values()].map((timer) => ({ kind: timer.kind, due: timer.due })),
    clear: () => {
      for (const timer of [...registry.active.values()]) timer.clear();
    },
    restore: () => {
      if (restored) return;
      restored = true;
      for (const { target, key, original } of patches.reverse()) {
        if (original !== undefined) Object.defineProperty(target, key, original);
        else delete (target as Record<PropertyKey, unknown>)[key];
      }
      syncESM();
    },
  };
}

/** `setTimeout`, `setInterval`, `setImmediate` and their `clear*` on `registry`. */
function timerGlobals(registry: TimerRegistry) {
  const real = globalThis as unknown as Record<string, ((handle: unknown) => void) | undefined>;
  const clearWith = (original: ((handle: unknown) => void) | undefined) => (handle: unknown) => {
    const timer = registry.find(handle);
    if (timer !== undefined) timer.clear();
    else original?.call(globalThis, handle);
  };
  const setImmediateTimer = registry.maker("setImmediate");
  return {
    setTimeout: registry.maker("setTimeout"),
    setInterval: registry.maker("setInterval"),
    setImmediate: (callback: Callback, ...args: unknown[]): FakeTimer =>
      setImmediateTimer(callback, 0, ...args),
    clearTimeout: clearWith(real.clearTimeout),
    clearInterval: clearWith(real.clearInterval),
    clearImmediate: clearWith(real.clearImmediate),
  };
}
