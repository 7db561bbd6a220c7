import { isCancellation } from "./errors.ts";
import {
  assertFunction,
  assertOptionalBoolean,
  assertOptions,
  describeValue,
} from "./internal/validate.ts";
import { taskGroup } from "./task-group.ts";
import type { Scope } from "./types.ts";

/**
 * A function run as a task by {@link gather} and {@link race}.
 * @example
 * ```ts
 * import { gather, run, type TaskFunction } from "@weft/core";
 *
 * const double = (n: number): TaskFunction<number> => async () => n * 2;
 * console.log(await run((scope) => gather(scope, [double(1), double(2)]))); // [ 2, 4 ]
 * ```
 */
export type TaskFunction<T = unknown> = (scope: Scope) => Promise<T> | T;

/**
 * The awaited results of a tuple or array of task functions, position by position.
 * @example
 * ```ts
 * import { gather, run, type TaskResults } from "@weft/core";
 *
 * const fns = [async () => 1, async () => "two"] as const;
 * const results: TaskResults<typeof fns> = await run((scope) => gather(scope, fns));
 * console.log(results); // [ 1, 'two' ]
 * ```
 */
export type TaskResults<F extends readonly TaskFunction[]> = {
  -readonly [K in keyof F]: Awaited<ReturnType<F[K]>>;
};

/** Copies `fns` into an array, checking that each is a function. */
export function toFunctions(fns: unknown, name: string): TaskFunction[] {
  if (
    typeof fns !== "object" ||
    fns === null ||
    typeof (fns as Iterable<unknown>)[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(
      `Expected \`${name}\` to be an iterable of functions, got ${describeValue(fns)}`,
    );
  }
  const list = [...(fns as Iterable<unknown>)];
  for (const [index, fn] of list.entries()) assertFunction(fn, `${name}[${index}]`);
  return list as TaskFunction[];
}

/**
 * Options of {@link gather}.
 * @example
 * ```ts
 * import { type GatherOptions, gather, run } from "@weft/core";
 *
 * const options: GatherOptions = { returnErrors: true };
 * const slots = await run((scope) =>
 *   gather(scope, [async () => "ok", async () => Promise.reject(new Error("no"))], options),
 * );
 * console.log(slots[0], slots[1] instanceof Error); // ok true
 * ```
 */
export interface GatherOptions {
  /**
   * Like asyncio's `return_exceptions`: a failure cancels nothing and fills its slot with the
   * thrown value itself instead of failing the call. Default `false`.
   */
  readonly returnErrors?: boolean;
}

/**
 * The slots of `gather(parent, fns, { returnErrors: true })`: each holds its function's value or
 * the value it threw. A thrown value can be anything, so each slot is `unknown`; narrow it with
 * `instanceof` or a guard such as `TaskGroupError.is`.
 * @example
 * ```ts
 * import { gather, run, type SettledResults } from "@weft/core";
 *
 * const fns = [async () => 1, async () => Promise.reject(new RangeError("bad"))] as const;
 * const slots: SettledResults<typeof fns> = await run((scope) =>
 *   gather(scope, fns, { returnErrors: true }),
 * );
 * console.log(slots[0], slots[1] instanceof RangeError); // 1 true
 * ```
 */
export type SettledResults<F extends readonly TaskFunction[]> = {
  -readonly [K in keyof F]: unknown;
};

/**
 * Runs every function as a task of one group and resolves with their results in input order.
 *
 * The first failure cancels the others; once all have settled, `gather` rejects with a
 * `TaskGroupError` holding every failure. Strict like a task group: a single failure is still
 * wrapped in a `TaskGroupError` (whereas `race` rejects with the winner's own, unwrapped error).
 *
 * With `{ returnErrors: true }` (asyncio's `return_exceptions`) a failure cancels nothing: every
 * function runs to its end and `gather` resolves with each slot holding the value or the thrown
 * value itself (identity kept, never wrapped).
 *
 * If `parent` is cancelled, the `CancelledError` propagates, with or without `returnErrors`.
 *
 * @param parent - The enclosing scope.
 * @param fns - The functions; each receives its task's scope.
 * @param options - `returnErrors`: return failures in their slots instead of rejecting.
 * @returns The results, in the order of `fns`.
 * @throws `TaskGroupError` when any function failed (unless `returnErrors`); `CancelledError` when
 *   `parent` is cancelled; `TypeError` (synchronously) for bad input.
 * @example
 * ```ts
 * import { gather, run } from "@weft/core";
 *
 * const [a, b] = await run((scope) => gather(scope, [async () => 1, async () => "two"]));
 * console.log(a, b); // 1 two
 * ```
 * @example
 * ```ts
 * import { gather, run } from "@weft/core";
 *
 * const [a, b] = await run((scope) =>
 *   gather(
 *     scope,
 *     [
 *       async () => 1,
 *       async () => {
 *         throw new Error("boom");
 *       },
 *     ],
 *     { returnErrors: true },
 *   ),
 * );
 * console.log(a, (b as Error).message); // 1 boom
 * ```
 */
export function gather<const F extends readonly TaskFunction[]>(
  parent: Scope,
  fns: F,
  options: GatherOptions & { readonly returnErrors: true },
): Promise<SettledResults<F>>;
export function gather<const F extends readonly TaskFunction[]>(
  parent: Scope,
  fns: F,
  options?: GatherOptions & { readonly returnErrors?: false },
): Promise<TaskResults<F>>;
export function gather<const F extends readonly TaskFunction[]>(
  parent: Scope,
  fns: F,
  options?: GatherOptions,
): Promise<TaskResults<F> | SettledResults<F>>;
export function gather<const F extends readonly TaskFunction[]>(
  parent: Scope,
  fns: F,
  options?: GatherOptions,
): Promise<TaskResults<F> | SettledResults<F>> {
  const list = toFunctions(fns, "fns");
  assertOptions(options, "options");
  const returnErrors = options?.returnErrors;
  assertOptionalBoolean(returnErrors, "options.returnErrors");
  const results = new Array<unknown>(list.length);
  return taskGroup(parent, async (group) => {
    list.forEach((fn, index) => {
      group.spawn(
        async (scope) => {
          try {
            results[index] = await fn(scope);
          } catch (error) {
            // The parent's cancellation still propagates; any other failure fills the slot.
            if (!returnErrors || (scope.cancelled && isCancellation(error))) throw error;
            results[index] = error;
          }
        },
        { name: fn.name || `gather[${index}]` },
      );
    });
  }).then(() => results as TaskResults<F>);
}
