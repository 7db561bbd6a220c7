import { checkpoint } from "./checkpoint.ts";
import {
  assertConcurrency,
  assertFunction,
  assertOptions,
  describeValue,
} from "./internal/validate.ts";
import { suspend, type Waiter } from "./suspend.ts";
import { taskGroup } from "./task-group.ts";
import type { Scope } from "./types.ts";

/**
 * Options of {@link map}.
 * @example
 * ```ts
 * import { type MapOptions, map, run } from "@weft/core";
 *
 * const options: MapOptions = { concurrency: 2 };
 * const squares = await run((scope) => map(scope, [1, 2, 3], async (n) => n * n, options));
 * console.log(squares); // [ 1, 4, 9 ]
 * ```
 */
export interface MapOptions {
  /** How many calls run at once: a positive integer or `Infinity` (the default). */
  concurrency?: number | undefined;
}

/**
 * Calls `fn` on every item with at most `concurrency` calls running at once, and resolves with the
 * results in input order. Items of an async iterable are pulled only as workers free up.
 *
 * The first failure cancels the calls in flight and stops pulling items; once everything has
 * settled, `map` rejects with a `TaskGroupError` holding every failure.
 *
 * @param parent - The enclosing scope.
 * @param items - An iterable or async iterable.
 * @param fn - Called with the item, the scope of the worker running it, and the item's index.
 * @param options - `concurrency`.
 * @returns The results, in input order.
 * @throws `TaskGroupError` when a call failed; `TypeError`/`RangeError` (synchronously) for bad input.
 * @example
 * ```ts
 * import { map, run } from "@weft/core";
 *
 * const doubled = await run((scope) => map(scope, [1, 2, 3], async (n) => n * 2, { concurrency: 2 }));
 * console.log(doubled); // [ 2, 4, 6 ]
 * ```
 */
export function map<T, R>(
  parent: Scope,
  items: Iterable<T> | AsyncIterable<T>,
  fn: (item: T, scope: Scope, index: number) => Promise<R> | R,
  options?: MapOptions,
): Promise<R[]> {
  assertFunction(fn, "fn");
  assertOptions(options, "options");
  const concurrency = options?.concurrency ?? Number.POSITIVE_INFINITY;
  assertConcurrency(concurrency, "concurrency");
  const source = items as Partial<Iterable<T> & AsyncIterable<T>> | null;
  const isAsync = typeof source?.[Symbol.asyncIterator] === "function";
  if (!isAsync && typeof source?.[Symbol.iterator] !== "function") {
    throw new TypeError(
      `Expected \`items\` to be an iterable or async iterable, got ${describeValue(items)}`,
    );
  }
  if (!isAsync) {
    const results: R[] = [];
    const list = [...(items as Iterable<T>)];
    let next = 0;
    const worker = async (scope: Scope): Promise<void> => {
      while (next < list.length) {
        const index = next++;
        results[index] = await fn(list[index] as T, scope, index);
      }
    };
    return taskGroup(parent, async (group) => {
      const workers = Math.min(concurrency, list.length);
      for (let i = 0; i < workers; i++) group.spawn(worker, { name: `map[${i}]` });
    }).then(() => results);
  }
  return mapAsync(parent, (items as AsyncIterable<T>)[Symbol.asyncIterator](), fn, concurrency);
}

async function mapAsync<T, R>(
  parent: Scope,
  iterator: AsyncIterator<T>,
  fn: (item: T, scope: Scope, index: number) => Promise<R> | R,
  concurrency: number,
): Promise<R[]> {
  const results: R[] = [];
  let exhausted = false;
  try {
    await taskGroup(parent, async (group) => {
      let active = 0;
      let slot: Waiter<void> | undefined;
      for (let index = 0; ; index++) {
        while (active >= concurrency) {
          await suspend<void>(group.scope, "map", (waiter) => {
            slot = waiter;
          });
        }
        const step = await iterator.next();
        if (step.done === true) {
          exhausted = true;
          return;
        }
        await checkpoint(group.scope);
        active++;
        group.spawn(
          async (scope) => {
            try {
              results[index] = await fn(step.value, scope, index);
            } finally {
              active--;
              slot?.resolve();
              slot = undefined;
            }
          },
          { name: `map[${index}]` },
        );
      }
    });
  } finally {
    if (!exhausted) await iterator.return?.();
  }
  return results;
}
