import { assertFunction, describeValue } from "./internal/validate.ts";
import type { Scope } from "./scope.ts";
import { taskGroup } from "./task-group.ts";

/** A function run as a task by {@link gather} and {@link race}. */
export type TaskFunction<T = unknown> = (scope: Scope) => Promise<T> | T;

/** The awaited results of a tuple or array of task functions, position by position. */
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
 * Runs every function as a task of one group and resolves with their results in input order.
 *
 * The first failure cancels the others; once all have settled, `gather` rejects with a
 * `TaskGroupError` holding every failure. If `parent` is cancelled, the `CancelledError` propagates.
 *
 * @param parent - The enclosing scope.
 * @param fns - The functions; each receives its task's scope.
 * @returns The results, in the order of `fns`.
 * @throws `TaskGroupError` when any function failed; `TypeError` (synchronously) for bad input.
 * @example
 * ```ts
 * import { gather, run } from "@weft/core";
 *
 * const [a, b] = await run((scope) => gather(scope, [async () => 1, async () => "two"]));
 * console.log(a, b); // 1 two
 * ```
 */
export function gather<const F extends readonly TaskFunction[]>(
  parent: Scope,
  fns: F,
): Promise<TaskResults<F>> {
  const list = toFunctions(fns, "fns");
  const results = new Array<unknown>(list.length);
  return taskGroup(parent, async (group) => {
    list.forEach((fn, index) => {
      group.spawn(
        async (scope) => {
          results[index] = await fn(scope);
        },
        { name: fn.name || `gather[${index}]` },
      );
    });
  }).then(() => results as TaskResults<F>);
}
