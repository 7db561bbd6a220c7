import type { CancelledError } from "./errors.ts";
import { rejectCancelled } from "./internal/cancelled-wait.ts";
import { assertFunction, describeValue } from "./internal/validate.ts";
import { assertWaitOptions } from "./internal/wait-options.ts";
import { isScope, toScope } from "./is-scope.ts";
import { ScopeImpl, type ScopeWaiter } from "./scope.ts";

/**
 * Options of every Weft wait: a cancellation signal. A {@link Scope} is a `WaitOptions`, and then
 * the wait is a Weft wait (cancelled with the scope, marked blocked for harnesses).
 * @example
 * ```ts
 * import { Event, type WaitOptions } from "@weft/core";
 *
 * const options: WaitOptions = { signal: AbortSignal.abort("no longer needed") };
 * console.log(await new Event().wait(options).catch((reason: unknown) => reason)); // no longer needed
 * ```
 */
export interface WaitOptions {
  /** Aborting it rejects the wait with the signal's reason and removes the waiter. */
  signal?: AbortSignal | undefined;
}

/**
 * The handle a primitive uses to complete a wait registered through {@link suspend}.
 * @example
 * ```ts
 * import { run, suspend, type Waiter } from "@weft/core";
 *
 * const waiting: Waiter<string>[] = [];
 * const value = await run(async (scope) => {
 *   const wait = suspend<string>(scope, "Mailbox.take", (waiter) => {
 *     waiting.push(waiter);
 *     return undefined;
 *   });
 *   console.log(waiting[0]?.resolve("letter"), waiting[0]?.resolve("again")); // true false
 *   return wait;
 * });
 * console.log(value); // letter
 * ```
 */
export interface Waiter<T> {
  /**
   * Completes the wait with `value`.
   * @returns `false` if the wait had already ended (cancelled, or settled before): the primitive
   * must then keep what it meant to hand over (the item, the permit) for somebody else.
   */
  resolve(value: T): boolean;
  /**
   * Fails the wait with `error`.
   * @returns `false` if the wait had already ended.
   */
  reject(error: unknown): boolean;
  /** Whether the wait has ended. */
  readonly settled: boolean;
}

/**
 * Called by {@link suspend} to register a waiter with a primitive. It may return a function that
 * unregisters the waiter; that function runs, synchronously, only if the wait is cancelled.
 * @example
 * ```ts
 * import { moveOnAfter, type Register, run, suspend } from "@weft/core";
 *
 * const waiters = new Set<unknown>();
 * const register: Register<void> = (waiter) => {
 *   waiters.add(waiter);
 *   return () => waiters.delete(waiter); // runs if the wait is cancelled
 * };
 * await run((scope) => moveOnAfter(scope, 10, (s) => suspend(s, "Gate.wait", register)));
 * console.log(waiters.size); // 0
 * ```
 */
export type Register<T> = (waiter: Waiter<T>) => (() => void) | undefined;

function noop(): void {}

class WaiterImpl<T> implements Waiter<T>, ScopeWaiter {
  /** Keeps the hidden class of waiters alive between runs (see `TaskImpl.anchor`). */
  static readonly anchor: WaiterImpl<void> = new WaiterImpl<void>(undefined, "anchor");
  prev: ScopeWaiter | undefined = undefined;
  next: ScopeWaiter | undefined = undefined;
  settled = false;
  unregister: (() => void) | undefined = undefined;
  onResolve: (value: T) => void = noop;
  onReject: (error: unknown) => void = noop;
  signal: AbortSignal | undefined = undefined;
  parked = false;

  /** The scope of a Weft wait; its `task` is the one marked blocked. */
  readonly scope: ScopeImpl | undefined;
  readonly label: string;

  constructor(scope: ScopeImpl | undefined, label: string) {
    this.scope = scope;
    this.label = label;
  }

  resolve(value: T): boolean {
    if (this.settled) return false;
    // A deadline due at this same instant wins over the wake-up.
    this.scope?.expireDeadlines();
    if (this.settled) return false;
    this.finish();
    this.onResolve(value);
    return true;
  }

  reject(error: unknown): boolean {
    if (this.settled) return false;
    this.finish();
    this.onReject(error);
    return true;
  }

  /** Woken by the scope's cancellation (the scope has already unlinked it). */
  wake(error: CancelledError): void {
    if (this.settled) return;
    this.settled = true;
    if (this.parked) this.scope?.task.unblock(this.label);
    this.abandon();
    this.onReject(error);
  }

  handleEvent(): void {
    if (this.settled) return;
    this.finish();
    this.abandon();
    this.onReject(this.signal?.reason);
  }

  /** Marks the scope's task blocked on this wait's label. */
  park(): void {
    this.parked = true;
    this.scope?.task.block(this.label);
  }

  private abandon(): void {
    const unregister = this.unregister;
    this.unregister = undefined;
    if (unregister === undefined) return;
    try {
      unregister();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  private finish(): void {
    this.settled = true;
    if (this.scope !== undefined) {
      this.scope.removeWaiter(this);
      if (this.parked) this.scope.task.unblock(this.label);
    } else if (this.signal !== undefined) {
      this.signal.removeEventListener("abort", this);
    }
  }
}

/**
 * The one way Weft blocks. Every Weft primitive in every package waits through `suspend`, and
 * library authors use it to make their own primitives Weft-aware.
 *
 * It registers a waiter with `register`. Given a {@link Scope}, the wait is a checkpoint (a cancelled
 * scope rejects at once, without registering), it rejects with the scope's `CancelledError` when
 * the scope is cancelled (running the unregister function first), and the scope's task is marked
 * *blocked on `label`* until the wait ends, which harnesses such as `@weft/testing` read. Given a
 * plain `{ signal }`, it rejects with `signal.reason` when the signal aborts (at once if already
 * aborted) and removes its listener when the wait ends either way.
 *
 * Cancelled means it did not happen: once the unregister function has run, `waiter.resolve`
 * returns `false`, and the primitive keeps its item or permit.
 *
 * @param options - A scope, `{ signal }`, or `undefined` (not cancellable). An object without a
 *   signal (`{}`, `{ scope }`) throws: nothing could cancel that wait.
 * @param label - What the task is blocked on, for task dumps: `"Lock.acquire"`.
 * @param register - Stores the waiter; returns how to remove it if the wait is cancelled.
 * @returns A promise for the value passed to `waiter.resolve`.
 * @throws `TypeError` (synchronously) when `label` is not a string, `register` not a function, or
 *   `options` neither undefined, a scope, nor an object with an `AbortSignal` `signal`.
 * @example
 * ```ts
 * import { run, suspend, type Waiter } from "@weft/core";
 *
 * // A one-shot latch that any number of tasks can wait on.
 * class Latch {
 *   #waiters = new Set<Waiter<void>>();
 *   #open = false;
 *   wait(options?: { signal?: AbortSignal }): Promise<void> {
 *     return suspend<void>(options, "Latch.wait", (waiter) => {
 *       if (this.#open) waiter.resolve();
 *       else this.#waiters.add(waiter);
 *       return () => this.#waiters.delete(waiter);
 *     });
 *   }
 *   open(): void {
 *     this.#open = true;
 *     for (const waiter of this.#waiters) waiter.resolve();
 *     this.#waiters.clear();
 *   }
 * }
 *
 * await run(async (scope) => {
 *   const latch = new Latch();
 *   queueMicrotask(() => latch.open());
 *   await latch.wait(scope);
 *   console.log("open");
 * });
 * ```
 */
export function suspend<T>(
  options: WaitOptions | undefined,
  label: string,
  register: Register<T>,
): Promise<T> {
  if (typeof label !== "string") {
    throw new TypeError(`Expected \`label\` to be a string, got ${describeValue(label)}`);
  }
  assertFunction(register, "register");
  let scope: ScopeImpl | undefined;
  let signal: AbortSignal | undefined;
  if (isScope(options)) {
    scope = toScope(options, "options");
    if (scope.error !== undefined) return rejectCancelled(scope, scope.error);
    if (scope.exited) return Promise.reject(exitedError(scope, label));
  } else if (options !== undefined) {
    // An object without a signal would make a wait that nothing can cancel.
    assertWaitOptions(options, "options");
    signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
  }
  const waiter = new WaiterImpl<T>(scope, label);
  return new Promise<T>((resolve, reject) => {
    waiter.onResolve = resolve;
    waiter.onReject = reject;
    if (scope !== undefined) scope.addWaiter(waiter);
    else if (signal !== undefined) {
      waiter.signal = signal;
      signal.addEventListener("abort", waiter);
    }
    let unregister: ReturnType<Register<T>>;
    try {
      unregister = register(waiter);
    } catch (error) {
      waiter.reject(error);
      return;
    }
    if (waiter.settled) return;
    if (typeof unregister === "function") waiter.unregister = unregister;
    // Marked blocked only once it really parks: a wait that completes inside `register` (a free
    // lock, a set event) never shows as blocked.
    waiter.park();
  });
}

/**
 * Whether a wait with `options` may complete at once without suspending, for a primitive whose
 * operation is ready now (a free permit, a buffered item): no options, or a live scope that is not
 * cancelled. Anything else (a `{ signal }`, a cancelled or exited scope, bad input) must go through
 * {@link suspend}, which validates it and rejects, so the checkpoint rule holds either way. At the
 * instant the operation takes place, call {@link completesNow}, as a waiter's `resolve` would.
 */
export function passesCheckpoint(options: unknown): boolean {
  return (
    options === undefined ||
    (options instanceof ScopeImpl && options.error === undefined && !options.exited)
  );
}

/**
 * For an operation that passed {@link passesCheckpoint}, at the instant it takes place: fires the
 * deadlines due now on the caller's scope (they win over the operation, as over a wake-up) and
 * tells whether the caller is still not cancelled. When it returns `false` the operation must not
 * take place; {@link suspend} with the same options then rejects with the `CancelledError`.
 */
export function completesNow(options: unknown): boolean {
  if (!(options instanceof ScopeImpl)) return true;
  options.expireDeadlines();
  return options.error === undefined;
}

/**
 * Throws unless `scope` is still open: every operation that opens a scope or runs work in one
 * calls it, so that no work outlives its scope.
 */
export function assertOpen(scope: ScopeImpl, label: string): void {
  if (scope.exited) throw exitedError(scope, label);
}

/**
 * For sibling packages: the error for work started in `scope` under `label` if it is a weft scope
 * that has already exited, else `undefined`.
 */
export function exitedScopeError(scope: unknown, label: string): Error | undefined {
  return scope instanceof ScopeImpl && scope.exited ? exitedError(scope, label) : undefined;
}

/** The error for work started in a scope that has already exited. */
export function exitedError(scope: ScopeImpl, label: string): Error {
  return new Error(
    `${label}: scope "${scope.name}" has already exited; work that outlives its scope would leak`,
  );
}

/**
 * Marks the task of `scope` as blocked on `label` until the returned function is called, for waits
 * that must not be interrupted by cancellation (a task group waiting for its children).
 */
export function markBlocked(scope: ScopeImpl, label: string): () => void {
  const task = scope.task;
  task.block(label);
  return () => task.unblock(label);
}
