import type { TimerHandle } from "@weft/core";
import { timeoutSignal } from "@weft/timers";
import type { TestClock } from "./test-clock.ts";

/** What a patched timer was created by. */
export type TimerKind = "setTimeout" | "setInterval" | "setImmediate";

type Callback = (...args: unknown[]) => void;

/** A timer created through a patched global: shaped like Node's `Timeout`, usable as a number. */
class FakeTimer {
  readonly id: number;
  readonly kind: TimerKind;
  due = 0;
  #handle: TimerHandle | undefined = undefined;
  #refed = true;
  readonly #registry: TimerRegistry;
  readonly #callback: Callback;
  readonly #args: unknown[];
  readonly #delay: number;

  constructor(
    registry: TimerRegistry,
    kind: TimerKind,
    callback: Callback,
    delay: number,
    args: unknown[],
  ) {
    this.#registry = registry;
    this.id = registry.nextId++;
    this.kind = kind;
    this.#callback = callback;
    this.#delay = delay;
    this.#args = args;
    this.#arm();
  }

  #arm(): void {
    const clock = this.#registry.clock;
    this.due = clock.now() + this.#delay;
    this.#registry.active.set(this.id, this);
    this.#handle = clock.setTimer(this.due, () => this.#fire());
  }

  #fire(): void {
    this.#handle = undefined;
    if (this.kind === "setInterval") this.#arm();
    else this.#registry.active.delete(this.id);
    this.#callback(...this.#args);
  }

  clear(): void {
    this.#handle?.cancel();
    this.#handle = undefined;
    this.#registry.active.delete(this.id);
  }

  ref(): this {
    this.#refed = true;
    return this;
  }

  unref(): this {
    this.#refed = false;
    return this;
  }

  hasRef(): boolean {
    return this.#refed;
  }

  refresh(): this {
    if (this.#handle !== undefined) {
      this.#handle.cancel();
      this.#arm();
    }
    return this;
  }

  close(): this {
    this.clear();
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

/** The patched timers of one run. */
class TimerRegistry {
  readonly clock: TestClock;
  readonly active = new Map<number, FakeTimer>();
  nextId = 1;

  constructor(clock: TestClock) {
    this.clock = clock;
  }

  find(handle: unknown): FakeTimer | undefined {
    if (handle instanceof FakeTimer)
      return this.active.get(handle.id) === handle ? handle : undefined;
    if (typeof handle === "number" || typeof handle === "string")
      return this.active.get(Number(handle));
    return undefined;
  }
}

function delayOf(ms: unknown): number {
  const delay = Number(ms);
  return delay > 0 && Number.isFinite(delay) ? delay : 0;
}

function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error("The operation was aborted", { cause: signal.reason }), {
    name: "AbortError",
    code: "ABORT_ERR",
  });
}

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

type NodeProcess = { getBuiltinModule?: (id: string) => unknown };

/**
 * Replaces the platform's time functions with ones on `clock`: `setTimeout`, `setInterval`,
 * `setImmediate` and their `clear*`, `Date` (`epoch + clock.now()`), `performance.now`,
 * `AbortSignal.timeout`, and, on Node, the same functions of `node:timers` and `node:timers/promises`.
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

  const realClear = {
    clearTimeout: globalThis.clearTimeout,
    clearInterval: globalThis.clearInterval,
    clearImmediate: (globalThis as { clearImmediate?: (handle: unknown) => void }).clearImmediate,
  };
  const make =
    (kind: TimerKind) =>
    (callback: Callback, ms?: unknown, ...args: unknown[]): FakeTimer => {
      if (typeof callback !== "function") {
        throw new TypeError(
          `The "callback" argument must be of type function. Received ${String(callback)}`,
        );
      }
      return new FakeTimer(registry, kind, callback, delayOf(ms), args);
    };
  const setTimeoutFake = make("setTimeout");
  const setImmediateTimer = make("setImmediate");
  const clearWith = (real: ((handle: unknown) => void) | undefined) => (handle: unknown) => {
    const timer = registry.find(handle);
    if (timer !== undefined) timer.clear();
    else real?.call(globalThis, handle);
  };
  const timerFunctions: Record<string, unknown> = {
    setTimeout: setTimeoutFake,
    setInterval: make("setInterval"),
    setImmediate: (callback: Callback, ...args: unknown[]): FakeTimer =>
      setImmediateTimer(callback, 0, ...args),
    clearTimeout: clearWith(realClear.clearTimeout as (handle: unknown) => void),
    clearInterval: clearWith(realClear.clearInterval as (handle: unknown) => void),
    clearImmediate: clearWith(realClear.clearImmediate),
  };
  for (const [key, value] of Object.entries(timerFunctions)) {
    if (key.endsWith("Immediate") && !(key in globalThis)) continue;
    patch(globalThis, key, value);
  }

  const RealDate = globalThis.Date;
  const FakeDate: DateConstructor = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget): object {
      const time = args.length === 0 ? [epoch + clock.now()] : args;
      return Reflect.construct(target, time, newTarget === FakeDate ? target : newTarget);
    },
    apply() {
      return new RealDate(epoch + clock.now()).toString();
    },
    get(target, key, receiver) {
      if (key === "now") return () => epoch + clock.now();
      return Reflect.get(target, key, receiver);
    },
  });
  patch(globalThis, "Date", FakeDate);
  patch(performance, "now", () => clock.now());
  patch(AbortSignal, "timeout", (ms: number) => timeoutSignal(ms, { clock }));

  const promiseTimer = (
    ms: unknown,
    value: unknown,
    options?: { signal?: AbortSignal },
  ): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const signal = options?.signal;
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const onAbort = (): void => {
        timer.clear();
        reject(abortError(signal as AbortSignal));
      };
      const timer = setTimeoutFake(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  const nodeProcess = (globalThis as { process?: NodeProcess }).process;
  const load = (id: string): Record<string, unknown> | undefined =>
    nodeProcess?.getBuiltinModule?.(id) as Record<string, unknown> | undefined;
  const timersModule = load("node:timers");
  const promisesModule = load("node:timers/promises");
  if (timersModule !== undefined) {
    for (const [key, value] of Object.entries(timerFunctions)) patch(timersModule, key, value);
  }
  if (promisesModule !== undefined) {
    patch(promisesModule, "setTimeout", promiseTimer);
    patch(promisesModule, "setImmediate", (value: unknown, options?: { signal?: AbortSignal }) =>
      promiseTimer(0, value, options),
    );
    patch(
      promisesModule,
      "setInterval",
      async function* (ms: unknown, value: unknown, options?: { signal?: AbortSignal }) {
        for (;;) yield await promiseTimer(ms, value, options);
      },
    );
    patch(promisesModule, "scheduler", {
      wait: (ms: unknown, options?: { signal?: AbortSignal }) =>
        promiseTimer(ms, undefined, options),
      yield: () => promiseTimer(0, undefined),
    });
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
