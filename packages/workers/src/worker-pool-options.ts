/**
 * The options of {@link openWorkerPool} and {@link WorkerPool.run}, and their synchronous checks
 * (shared by the Node and the browser build).
 */

import { type Clock, type Scope, systemClock } from "@weft/core";
import {
  assertCount,
  assertDuration,
  assertOptionalString,
  assertOptions,
  assertPositiveInteger,
  exitedScopeError,
  isClock,
  isSignal,
  numberError,
  typeError,
} from "@weft/core/internal";

/**
 * Options of {@link openWorkerPool}.
 *
 * @example
 * ```ts
 * import type { WorkerPoolOptions } from "@weft/workers";
 *
 * const options: WorkerPoolOptions = {
 *   filename: new URL("./primes.js", import.meta.url),
 *   maxThreads: 2,
 *   grace: 500, // a cancelled task has 0.5 s to stop before its worker is terminated
 * };
 * console.log(options.maxThreads, options.grace); // 2 500
 * ```
 */
export interface WorkerPoolOptions {
  /**
   * The worker file (ESM) whose exports are made by `defineWorkerTask`: a path or a `file:` URL on
   * Node; a URL (or a string resolved against the page) in browsers.
   */
  filename: string | URL;
  /** Threads kept alive while idle. Defaults to half the CPUs (at least 1). */
  minThreads?: number;
  /** Most threads at once. Defaults to 1.5 × the CPUs. */
  maxThreads?: number;
  /** How long (ms) an idle thread above `minThreads` lives. Defaults to 0. */
  idleTimeout?: number;
  /** Most runs waiting for a thread (`Infinity` for no limit, `"auto"`: `maxThreads²`). */
  maxQueue?: number | "auto";
  /** Memory limits of each worker (Node's `resourceLimits`; ignored in browsers). */
  resourceLimits?: {
    maxOldGenerationSizeMb?: number;
    maxYoungGenerationSizeMb?: number;
    codeRangeSizeMb?: number;
    stackSizeMb?: number;
  };
  /**
   * Node options of the workers (Node's `execArgv`; ignored in browsers). Defaults to the parent
   * thread's, which may include `--conditions` that the worker file cannot load (a test runner's,
   * for example).
   */
  execArgv?: string[];
  /**
   * How long (ms, on the pool's scope's clock) a cancelled running task may take to stop before its
   * worker is terminated. Default 1000; 0 terminates at once; `Infinity` never.
   */
  grace?: number;
}

/**
 * Options of {@link WorkerPool.run}.
 *
 * @example
 * ```ts
 * import { run } from "@weft/core";
 * import type { WorkerRunOptions } from "@weft/workers";
 *
 * await run(async (scope) => {
 *   const buffer = new ArrayBuffer(8);
 *   // Cancelled with the scope; the buffer is moved to the worker; the `count` export runs.
 *   const options: WorkerRunOptions = { signal: scope, transfer: [buffer], name: "count" };
 *   console.log(options.name); // count
 * });
 * ```
 */
export interface WorkerRunOptions {
  /** Cancels the run: an `AbortSignal`, or anything with one, such as a `Scope`. */
  signal?: AbortSignal | { readonly signal: AbortSignal };
  /** Objects moved (not copied) to the worker, e.g. `ArrayBuffer`s in the input. */
  transfer?: Transferable[];
  /** The export of the worker file to call. Defaults to `"default"`. */
  name?: string;
}

/** {@link WorkerPoolOptions} checked, with `grace` and the clock it is measured on resolved. */
export interface CheckedPoolOptions
  extends Omit<WorkerPoolOptions, "filename" | "grace" | "maxQueue"> {
  readonly filename: string | URL;
  readonly maxQueue?: number;
  readonly grace: number;
  readonly clock: Clock;
  readonly signal: AbortSignal;
}

/** The `signal` of a run's options: an `AbortSignal`, or the one of a Scope-like object. */
export function readRunSignal(value: unknown, name: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (isSignal(value)) return value;
  const inner = (value as { signal?: unknown } | null)?.signal;
  if (isSignal(inner)) return inner;
  throw typeError(name, "an AbortSignal or an object with one (a Scope)", value);
}

/** Checks {@link WorkerRunOptions}; throws `TypeError` for a wrongly typed one. */
export function readRunOptions(options: WorkerRunOptions): {
  signal: AbortSignal | undefined;
  transfer: readonly Transferable[];
  name: string | undefined;
} {
  assertOptions(options, "options");
  const signal = readRunSignal(options.signal, "options.signal");
  const transfer = options.transfer ?? [];
  if (!Array.isArray(transfer)) throw typeError("options.transfer", "an array", transfer);
  assertOptionalString(options.name, "options.name");
  return { signal, transfer, name: options.name };
}

/**
 * Checks `scope` and `options` of {@link openWorkerPool}: `TypeError` for a wrong type, `RangeError`
 * for a bad number. `maxQueue: "auto"` becomes `maxThreads²` (`defaultMaxThreads` when unset).
 */
export function readPoolOptions(
  scope: Scope,
  options: WorkerPoolOptions,
  defaultMaxThreads: number,
): CheckedPoolOptions {
  const owner = scope as Partial<Scope> | null;
  const signal = owner?.signal;
  if (!isSignal(signal)) {
    throw typeError("scope", "a Scope (an object with an AbortSignal `signal`)", scope);
  }
  const exited = exitedScopeError(scope, "openWorkerPool");
  if (exited !== undefined) throw exited;
  if (typeof options !== "object" || options === null) {
    throw typeError("options", "an object", options);
  }
  const { filename, minThreads, maxThreads, idleTimeout, maxQueue, resourceLimits, execArgv } =
    options;
  if (!(filename instanceof URL) && !(typeof filename === "string" && filename.length > 0)) {
    throw typeError("options.filename", "a non-empty string or a URL", filename);
  }
  if (
    execArgv !== undefined &&
    !(Array.isArray(execArgv) && execArgv.every((arg) => typeof arg === "string"))
  ) {
    throw typeError("options.execArgv", "an array of strings", execArgv);
  }
  const grace = options.grace ?? 1000;
  if (minThreads !== undefined) assertCount(minThreads, "options.minThreads");
  if (maxThreads !== undefined) assertPositiveInteger(maxThreads, "options.maxThreads");
  if (minThreads !== undefined && maxThreads !== undefined && minThreads > maxThreads) {
    throw new RangeError(
      `Expected \`options.minThreads\` to be at most \`options.maxThreads\` (${maxThreads}), got \`${minThreads}\` (number)`,
    );
  }
  if (idleTimeout !== undefined) assertDuration(idleTimeout, "options.idleTimeout");
  if (
    maxQueue !== undefined &&
    maxQueue !== "auto" &&
    !(maxQueue === Number.POSITIVE_INFINITY || (Number.isSafeInteger(maxQueue) && maxQueue >= 0))
  ) {
    throw numberError(maxQueue, "options.maxQueue", 'a non-negative integer, Infinity or "auto"');
  }
  assertOptions(resourceLimits, "options.resourceLimits");
  assertDuration(grace, "options.grace");
  return {
    filename,
    ...(minThreads === undefined ? {} : { minThreads }),
    ...(maxThreads === undefined ? {} : { maxThreads }),
    ...(idleTimeout === undefined ? {} : { idleTimeout }),
    ...(maxQueue === undefined
      ? {}
      : { maxQueue: maxQueue === "auto" ? (maxThreads ?? defaultMaxThreads) ** 2 : maxQueue }),
    ...(resourceLimits === undefined ? {} : { resourceLimits }),
    ...(execArgv === undefined ? {} : { execArgv }),
    grace,
    clock: isClock(owner?.clock) ? owner.clock : systemClock,
    signal,
  };
}
