import { type Clock, systemClock } from "./clock.ts";
import { hasExitCleanups, runExitCleanups } from "./internal/exit-cleanups.ts";
import {
  assertClock,
  assertFunction,
  assertOptionalString,
  assertOptions,
  assertSignal,
} from "./internal/validate.ts";
import { Runtime } from "./runtime.ts";
import { TaskImpl } from "./task.ts";
import type { Scope } from "./types.ts";

/**
 * Options of {@link run}.
 * @example
 * ```ts
 * import { type RunOptions, run, taskTree } from "@weft/core";
 *
 * const options: RunOptions = { name: "server", signal: new AbortController().signal };
 * console.log(await run(async (scope) => taskTree(scope).name, options)); // server
 * ```
 */
export interface RunOptions {
  /** The clock of every scope in the run. Defaults to {@link systemClock}. */
  clock?: Clock | undefined;
  /** Aborting it cancels the root scope (source `"signal"`, reason = the signal's reason). */
  signal?: AbortSignal | undefined;
  /** The root task's name in dumps. Defaults to `"main"`. */
  name?: string | undefined;
  /**
   * For test harnesses: reorders, in place, the tasks that become ready together (spawned in the
   * same turn), to explore another legal order. Without it they start in spawn order.
   */
  shuffle?: (<T>(items: T[]) => void) | undefined;
}

/**
 * Runs `main` in a new root scope: the entry point of structured code.
 *
 * `run` resolves with `main`'s value, or rejects with exactly what `main` threw (never wrapped).
 * Aborting `options.signal` cancels the root scope with source `"signal"`; an already-aborted
 * signal makes `main`'s first checkpoint throw. When `run` settles, no timer, listener or task of
 * the run is left behind.
 *
 * @param main - The root task's body.
 * @param options - Clock, external signal, name.
 * @returns What `main` returns.
 * @throws `TypeError` (synchronously) when `main` is not a function or an option is of the wrong type.
 * @example
 * ```ts
 * import { run, taskGroup } from "@weft/core";
 *
 * const total = await run(async (scope) => {
 *   let sum = 0;
 *   await taskGroup(scope, async (group) => {
 *     for (const n of [1, 2, 3]) group.spawn(async () => { sum += n; });
 *   });
 *   return sum;
 * });
 * console.log(total); // 6
 * ```
 */
export function run<T>(main: (scope: Scope) => Promise<T>, options?: RunOptions): Promise<T> {
  assertFunction(main, "main");
  assertOptions(options, "options");
  const clock = options?.clock ?? systemClock;
  assertClock(clock, "clock");
  const signal = options?.signal;
  if (signal !== undefined) assertSignal(signal, "signal");
  const name = options?.name ?? "main";
  assertOptionalString(name, "name");

  const shuffle = options?.shuffle;
  if (shuffle !== undefined) assertFunction(shuffle, "shuffle");
  const runtime = new Runtime(clock, shuffle);
  const task = new TaskImpl<T>(undefined, runtime, name);
  task.begin();
  let onAbort: (() => void) | undefined;
  if (signal !== undefined) {
    onAbort = () => task.cancelWith("signal", signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  }
  return runRoot(main, task, () => {
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  });
}

async function runRoot<T>(
  main: (scope: Scope) => Promise<T>,
  task: TaskImpl<T>,
  detach: () => void,
): Promise<T> {
  let value: T;
  try {
    value = await main(task);
    if (hasExitCleanups(task)) {
      const failure = await runExitCleanups(task);
      if (failure !== undefined) throw failure.error;
    }
  } catch (error) {
    // Clean-ups still run when main fails; main's error is the one that counts.
    if (hasExitCleanups(task)) await runExitCleanups(task);
    detach();
    task.exit();
    task.fail(error);
    throw error;
  }
  detach();
  task.exit();
  task.fulfil(value);
  return value;
}
