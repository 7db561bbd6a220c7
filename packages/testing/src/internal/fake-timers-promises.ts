import type { Callback, FakeTimer } from "./fake-timer.ts";

type SetTimeoutFake = (callback: Callback, ms?: unknown, ...args: unknown[]) => FakeTimer;
type PromiseOptions = { signal?: AbortSignal };

function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error("The operation was aborted", { cause: signal.reason }), {
    name: "AbortError",
    code: "ABORT_ERR",
  });
}

/**
 * The functions of `node:timers/promises` on patched timers: `setTimeout`, `setImmediate`,
 * `setInterval` and `scheduler`, rejecting with Node's `AbortError` when their signal aborts.
 */
export function timersPromises(setTimeoutFake: SetTimeoutFake): Record<string, unknown> {
  const promiseTimer = (ms: unknown, value: unknown, options?: PromiseOptions): Promise<unknown> =>
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
  return {
    setTimeout: promiseTimer,
    setImmediate: (value: unknown, options?: PromiseOptions) => promiseTimer(0, value, options),
    setInterval: async function* (ms: unknown, value: unknown, options?: PromiseOptions) {
      for (;;) yield await promiseTimer(ms, value, options);
    },
    scheduler: {
      wait: (ms: unknown, options?: PromiseOptions) => promiseTimer(ms, undefined, options),
      yield: () => promiseTimer(0, undefined),
    },
  };
}
