import { formatTaskTree, type TaskSnapshot } from "@weft/core";
import { addBrand, hasBrand } from "@weft/core/internal";
import type { TimerKind } from "./patch-globals.ts";

const DEADLOCK = Symbol.for("weft.DeadlockError");
const LEAK = Symbol.for("weft.TimerLeakError");

/**
 * Thrown by `fakeTime` when a test can never finish: every task is blocked in a Weft wait and no
 * timer is pending (a deadlock), or the real-time watchdog ran out (a hung test). Its message holds
 * the task tree: each live task's name and what it is blocked on.
 *
 * @example
 * ```ts
 * import { Event } from "@weft/core";
 * import { DeadlockError, fakeTime } from "@weft/testing";
 *
 * try {
 *   await fakeTime(async ({ scope }) => {
 *     await new Event().wait(scope); // nobody will ever set it
 *   });
 * } catch (error) {
 *   console.log(DeadlockError.is(error)); // true
 * }
 * ```
 */
export class DeadlockError extends Error {
  /** The task tree when the deadlock was detected. */
  readonly tasks: TaskSnapshot | undefined;
  /** The virtual time when it was detected. */
  readonly time: number;

  /**
   * @param message - What happened; the task tree is appended.
   * @param tasks - The task tree, from `taskTree`.
   * @param time - The virtual time.
   */
  constructor(message: string, tasks: TaskSnapshot | undefined, time: number) {
    super(tasks === undefined ? message : `${message}\n${formatTaskTree(tasks)}`);
    this.name = "DeadlockError";
    this.tasks = tasks;
    this.time = time;
  }

  /**
   * Whether `value` is a `DeadlockError`, also one from another copy of this package.
   * @param value - Anything.
   * @returns `true` for a `DeadlockError`.
   */
  static is(value: unknown): value is DeadlockError {
    return hasBrand(value, DEADLOCK);
  }
}
addBrand(DeadlockError, DEADLOCK);

/**
 * Thrown by `fakeTime` with `patchGlobals` when timers scheduled through the patched globals
 * (`setTimeout`, `setInterval`, `setImmediate`) are still pending when the test body has finished.
 * The harness clears them before throwing.
 *
 * @example
 * ```ts
 * import { TimerLeakError, fakeTime } from "@weft/testing";
 *
 * try {
 *   await fakeTime(async () => {
 *     setTimeout(() => {}, 1000); // never cleared
 *   }, { patchGlobals: true });
 * } catch (error) {
 *   console.log(TimerLeakError.is(error), (error as TimerLeakError).timers.length); // true 1
 * }
 * ```
 */
export class TimerLeakError extends Error {
  /** Each leaked timer: its kind and the virtual time it was due. */
  readonly timers: readonly { kind: TimerKind; due: number }[];

  /**
   * @param timers - The leaked timers.
   * @param suffix - Appended to the message (the seed, when there is one).
   */
  constructor(timers: readonly { kind: TimerKind; due: number }[], suffix = "") {
    const list = timers.map((timer) => `${timer.kind} due at ${timer.due} ms`).join(", ");
    super(
      `${timers.length} timer${timers.length === 1 ? " was" : "s were"} still pending when the test ended: ${list}${suffix}`,
    );
    this.name = "TimerLeakError";
    this.timers = timers;
  }

  /**
   * Whether `value` is a `TimerLeakError`, also one from another copy of this package.
   * @param value - Anything.
   * @returns `true` for a `TimerLeakError`.
   */
  static is(value: unknown): value is TimerLeakError {
    return hasBrand(value, LEAK);
  }
}
addBrand(TimerLeakError, LEAK);
