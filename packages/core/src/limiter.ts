import { createState, setConcurrency, submit } from "./internal/limiter-engine.ts";
import { type LimiterState, waitIdle } from "./internal/limiter-state.ts";
import {
  assertConcurrency,
  assertCount,
  assertFunction,
  assertNumber,
  assertOptions,
  assertPositiveInteger,
  describeValue,
  numberError,
} from "./internal/validate.ts";
import { toScope } from "./is-scope.ts";
import { exitedError, type WaitOptions } from "./suspend.ts";
import type { Scope } from "./types.ts";

/**
 * Options of the {@link Limiter} constructor.
 * @example
 * ```ts
 * import { Limiter, type LimiterOptions, type LimiterRunOptions, run } from "@weft/core";
 *
 * const options: LimiterOptions = { concurrency: 2, rate: { limit: 10, interval: 1000 } };
 * const limiter = new Limiter(options);
 * await run(async (scope) => {
 *   const urgent: LimiterRunOptions = { priority: 1, weight: 1 };
 *   console.log(await limiter.run(scope, async () => "first", urgent)); // first
 *   console.log(limiter.concurrency, limiter.active); // 2 0
 * });
 * ```
 */
export interface LimiterOptions {
  /** How much work runs at once (the sum of the running calls' weights): a positive integer or `Infinity`. */
  concurrency: number;
  /** At most `limit` calls start within any `interval` ms (a sliding window on the scope's clock). */
  rate?: { limit: number; interval: number } | undefined;
}

/**
 * Options of {@link Limiter.run}.
 * @example
 * ```ts
 * import { Limiter, type LimiterOptions, type LimiterRunOptions, run } from "@weft/core";
 *
 * const options: LimiterOptions = { concurrency: 2, rate: { limit: 10, interval: 1000 } };
 * const limiter = new Limiter(options);
 * await run(async (scope) => {
 *   const urgent: LimiterRunOptions = { priority: 1, weight: 1 };
 *   console.log(await limiter.run(scope, async () => "first", urgent)); // first
 *   console.log(limiter.concurrency, limiter.active); // 2 0
 * });
 * ```
 */
export interface LimiterRunOptions {
  /** Higher runs first; equal priorities run in call order. Default 0. */
  priority?: number | undefined;
  /** How much of `concurrency` the call occupies: a non-negative integer, default 1. */
  weight?: number | undefined;
}

/**
 * Bounds how much work runs at once, and optionally how often work starts: the structured
 * replacement for `p-limit` and `p-queue`.
 *
 * `run(scope, fn)` calls `fn` with a child scope of `scope` once the call fits in `concurrency`
 * (and in `rate`); until then it waits in a queue, higher `priority` first and in call order among
 * equals, never overtaken by later calls (a heavy call at the head is not bypassed). Cancelling the
 * caller's scope removes a queued call at once (its promise rejects with `CancelledError`, nothing
 * stays queued) and cancels a running call through its scope. `concurrency` can be changed at any
 * time; raising it starts queued work at once.
 *
 * `rate: { limit, interval }` is a sliding window on the clock of the calls' scopes: a call starts
 * only if fewer than `limit` calls started in the last `interval` ms (so no window of `interval` ms
 * ever holds more than `limit` starts, unlike p-queue's fixed windows, which allow a burst of
 * `2 × intervalCap` across a window boundary).
 *
 * | p-limit / p-queue | Limiter |
 * | --- | --- |
 * | `pLimit(4)` / `new PQueue({ concurrency: 4 })` | `new Limiter({ concurrency: 4 })` |
 * | `limit(() => work())` / `queue.add(() => work())` | `limiter.run(scope, (s) => work(s))` |
 * | `new PQueue({ intervalCap: 10, interval: 1000 })` | `new Limiter({ concurrency: Infinity, rate: { limit: 10, interval: 1000 } })` |
 * | `queue.add(fn, { priority: 1 })` | `limiter.run(scope, fn, { priority: 1 })` |
 * | `queue.add(fn, { signal })` | `limiter.run(scope, fn)`: cancel `scope` (or use `cancelScope`) |
 * | `queue.add(fn, { timeout: 500 })` | `failAfter(scope, 500, (s) => limiter.run(s, fn))` |
 * | `limit.activeCount` / `queue.pending` | `limiter.active` |
 * | `limit.pendingCount` / `queue.size` | `limiter.size` |
 * | `limit.concurrency = 8` / `queue.concurrency = 8` | `limiter.concurrency = 8` |
 * | `await queue.onIdle()` | `await limiter.onIdle(scope)` |
 * | `limit.clearQueue()` / `queue.clear()` | cancel the scopes of the queued calls |
 * | `queue.addAll(fns)` / `Promise.all(xs.map((x) => limit(...)))` | `gather(scope, ...)` or `map(scope, xs, fn, { concurrency })` |
 *
 * @example
 * ```ts
 * import { Limiter, type Scope, gather, run } from "@weft/core";
 *
 * const limiter = new Limiter({ concurrency: 2 });
 * let running = 0;
 * let peak = 0;
 * const results = await run((scope) =>
 *   gather(scope, [1, 2, 3, 4, 5].map((n) => (s: Scope) =>
 *     limiter.run(s, async () => {
 *       peak = Math.max(peak, ++running);
 *       await Promise.resolve();
 *       running--;
 *       return n * 10;
 *     }),
 *   )),
 * );
 * console.log(results, peak); // [ 10, 20, 30, 40, 50 ] 2
 * ```
 */
export class Limiter {
  readonly #state: LimiterState;

  /**
   * @param options - `concurrency`, and an optional `rate`.
   * @throws `TypeError`/`RangeError` for a bad option: `concurrency` must be a positive integer or
   *   `Infinity`, `rate.limit` a positive integer, `rate.interval` a positive finite number of ms.
   */
  constructor(options: LimiterOptions) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
    }
    assertConcurrency(options.concurrency, "concurrency");
    const rate = options.rate;
    assertOptions(rate, "rate");
    if (rate !== undefined) {
      assertPositiveInteger(rate.limit, "rate.limit");
      if (
        typeof rate.interval !== "number" ||
        !(rate.interval > 0 && rate.interval !== Number.POSITIVE_INFINITY)
      ) {
        throw numberError(
          rate.interval,
          "rate.interval",
          "a positive finite number of milliseconds",
        );
      }
    }
    this.#state = createState(options.concurrency, rate);
  }

  /**
   * How much work may run at once: a positive integer or `Infinity`. Settable at any time: raising
   * it starts queued calls at once; lowering it lets running calls finish and delays new starts.
   * Setting a bad value throws a `TypeError`/`RangeError` and changes nothing.
   */
  get concurrency(): number {
    return this.#state.concurrency;
  }

  set concurrency(value: number) {
    assertConcurrency(value, "concurrency");
    setConcurrency(this.#state, value);
  }

  /** How many calls are queued, not started. */
  get size(): number {
    return this.#state.queue.queued;
  }

  /** How many calls are running. */
  get active(): number {
    return this.#state.active;
  }

  /**
   * Runs `fn` with a child scope of `scope` once it fits in the limits, and resolves with its
   * result. Starts at once (synchronously) when nothing is queued and the call fits.
   *
   * A checkpoint: with a cancelled scope it rejects at once. Cancelled while queued, the call
   * leaves the queue at once and rejects with the scope's `CancelledError`; `fn` never runs.
   * Cancelled while running, `fn`'s scope is cancelled with it. If `fn` cancels its own scope and
   * throws that cancellation, `run` rejects with it.
   *
   * @param scope - The caller's scope: the parent of `fn`'s scope.
   * @param fn - The work; its scope is cancelled when the caller's is.
   * @param options - `priority` (higher first, default 0) and `weight` (default 1, at most `concurrency`).
   * @returns What `fn` returns.
   * @throws Whatever `fn` throws; `CancelledError` when cancelled while queued; `TypeError`/`RangeError`
   *   (synchronously) for bad arguments, e.g. a `weight` larger than `concurrency`.
   * @example
   * ```ts
   * import { Limiter, run } from "@weft/core";
   *
   * const limiter = new Limiter({ concurrency: 1 });
   * const order: string[] = [];
   * await run(async (scope) => {
   *   const first = limiter.run(scope, async () => order.push("first"));
   *   const low = limiter.run(scope, async () => order.push("low"));
   *   const high = limiter.run(scope, async () => order.push("high"), { priority: 1 });
   *   await Promise.all([first, low, high]);
   * });
   * console.log(order); // [ 'first', 'high', 'low' ]
   * ```
   */
  run<T>(
    scope: Scope,
    fn: (scope: Scope) => Promise<T> | T,
    options?: LimiterRunOptions,
  ): Promise<T> {
    const outer = toScope(scope, "scope");
    assertFunction(fn, "fn");
    const state = this.#state;
    let priority = 0;
    let weight = 1;
    if (options !== undefined) {
      assertOptions(options, "options");
      priority = options.priority ?? 0;
      weight = options.weight ?? 1;
      assertNumber(priority, "priority");
      assertCount(weight, "weight");
      if (weight > state.concurrency) {
        throw new RangeError(
          `Expected \`weight\` to be at most the limiter's concurrency (${state.concurrency}), got \`${weight}\` (number)`,
        );
      }
    }
    if (outer.exited) return Promise.reject(exitedError(outer, "Limiter.run"));
    const error = outer.error;
    if (error !== undefined) return Promise.reject(error);
    return submit(state, outer, fn, priority, weight) as Promise<T>;
  }

  /**
   * Waits until nothing is queued or running; resolves at once (on the next microtask) if so.
   * A checkpoint; cancelling it only stops the wait.
   * @param options - A scope or `{ signal }`; omitted, the wait cannot be cancelled. An object
   *   without a signal (`{}`) throws a `TypeError`: nothing could cancel that wait.
   * @returns A promise that resolves when the limiter is idle.
   * @example
   * ```ts
   * import { Limiter, run } from "@weft/core";
   *
   * const limiter = new Limiter({ concurrency: 2 });
   * await run(async (scope) => {
   *   const calls = [1, 2, 3, 4].map((n) => limiter.run(scope, async () => n));
   *   console.log(limiter.size, limiter.active); // 2 2
   *   await limiter.onIdle(scope);
   *   console.log(limiter.size, limiter.active, await Promise.all(calls)); // 0 0 [ 1, 2, 3, 4 ]
   * });
   * ```
   */
  onIdle(options?: WaitOptions): Promise<void> {
    return waitIdle(this.#state, options);
  }

  get [Symbol.toStringTag](): string {
    return "Limiter";
  }
}
