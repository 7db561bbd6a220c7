import type { Clock, TimerHandle } from "./clock.ts";
import { type CancelSource, CancelledError } from "./errors.ts";
import type { Runtime, TaskImpl } from "./task.ts";
import { assertTime, describeValue } from "./internal/validate.ts";

/**
 * A node of the tree of cancellation. Every piece of Weft work runs inside a scope and receives it
 * explicitly, as Go code receives a context.
 *
 * A scope is cancelled when `cancel()` is called on it, when its `deadline` passes on its clock, or
 * when an ancestor is cancelled (unless a shielded scope lies between). Cancellation is
 * level-triggered: once a scope is cancelled, every Weft operation inside it throws
 * {@link CancelledError} until the scope's body has exited.
 *
 * A scope is structurally `{ signal, clock }`, so it can be passed wherever an `AbortSignal`
 * holder is expected (`fetch(url, scope)`) and to every Weft function taking wait options.
 */
export interface Scope {
  /** Aborts when this scope becomes cancelled; its `reason` is the {@link CancelledError}. Created on first read. */
  readonly signal: AbortSignal;
  /** The clock deadlines are measured on; inherited from the parent. */
  readonly clock: Clock;
  /** A name for task dumps and error messages. */
  readonly name: string;
  /** Effectively cancelled: by its own `cancel()`, its own deadline, or an unshielded ancestor. */
  readonly cancelled: boolean;
  /** `cancel()` was called on this scope, or its own deadline passed. */
  readonly cancelCalled: boolean;
  /** This scope absorbed a {@link CancelledError} when its body exited. */
  readonly cancelledCaught: boolean;
  /** This scope's own absolute deadline on `clock`; `Infinity` means none. Setting it reschedules. */
  deadline: number;
  /** When `true`, cancellation of ancestors does not reach this scope. Its own cancel still does. */
  shield: boolean;
  /**
   * Cancels this scope and every unshielded descendant. Idempotent, synchronous, never throws:
   * the first reason wins.
   * @param reason - Stored as the {@link CancelledError}'s `reason` and `cause`.
   */
  cancel(reason?: unknown): void;
}

const SCOPE = Symbol.for("weft.Scope");
/** The scope whose cancellation created a `CancelledError`. */
const origins = new WeakMap<CancelledError, ScopeImpl>();

/** Something blocked on a scope, woken with the scope's error when the scope becomes cancelled. */
export interface ScopeWaiter {
  prevWaiter: ScopeWaiter | undefined;
  nextWaiter: ScopeWaiter | undefined;
  wake(error: CancelledError): void;
}

/** The implementation behind {@link Scope}; internal to core. */
export class ScopeImpl implements Scope {
  readonly parent: ScopeImpl | undefined;
  readonly runtime: Runtime;
  readonly clock: Clock;
  readonly name: string;
  /** The task whose code runs in this scope. Set by the creator right after construction. */
  task!: TaskImpl<unknown>;
  exited = false;

  #own: CancelledError | undefined = undefined;
  #effective: CancelledError | undefined = undefined;
  #caught = false;
  #shield: boolean;
  #deadline = Number.POSITIVE_INFINITY;
  #timer: TimerHandle | undefined = undefined;
  #controller: AbortController | undefined = undefined;

  firstChild: ScopeImpl | undefined = undefined;
  lastChild: ScopeImpl | undefined = undefined;
  prevSibling: ScopeImpl | undefined = undefined;
  nextSibling: ScopeImpl | undefined = undefined;
  firstWaiter: ScopeWaiter | undefined = undefined;
  lastWaiter: ScopeWaiter | undefined = undefined;

  constructor(parent: ScopeImpl | undefined, runtime: Runtime, clock: Clock, name: string, shield = false) {
    this.parent = parent;
    this.runtime = runtime;
    this.clock = clock;
    this.name = name;
    this.#shield = shield;
    if (parent !== undefined) {
      if (parent.lastChild === undefined) parent.firstChild = this;
      else {
        parent.lastChild.nextSibling = this;
        this.prevSibling = parent.lastChild;
      }
      parent.lastChild = this;
      if (!shield) this.#effective = parent.#effective;
    }
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#effective !== undefined) this.#controller.abort(this.#effective);
    }
    return this.#controller.signal;
  }

  get cancelled(): boolean {
    return this.#effective !== undefined;
  }

  get cancelCalled(): boolean {
    return this.#own !== undefined;
  }

  get cancelledCaught(): boolean {
    return this.#caught;
  }

  /** The error that operations in this scope throw, while it is cancelled. */
  get error(): CancelledError | undefined {
    return this.#effective;
  }

  get deadline(): number {
    return this.#deadline;
  }

  set deadline(value: number) {
    assertTime(value, "deadline");
    this.#deadline = value;
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#own !== undefined || this.exited || value === Number.POSITIVE_INFINITY) return;
    if (value <= this.clock.now()) this.cancelWith("deadline", undefined);
    else {
      this.#timer = this.clock.setTimer(value, () => {
        this.#timer = undefined;
        this.cancelWith("deadline", undefined);
      });
    }
  }

  get shield(): boolean {
    return this.#shield;
  }

  set shield(value: boolean) {
    if (typeof value !== "boolean") {
      throw new TypeError(`Expected \`shield\` to be a boolean, got ${describeValue(value)}`);
    }
    if (value === this.#shield) return;
    this.#shield = value;
    refresh(this);
  }

  cancel(reason?: unknown): void {
    this.cancelWith("explicit", reason);
  }

  /** Cancels this scope with the given source; the first cancellation wins. */
  cancelWith(source: CancelSource, reason: unknown): void {
    if (this.#own !== undefined) return;
    const error = new CancelledError(undefined, { reason, source });
    origins.set(error, this);
    this.#own = error;
    this.#timer?.cancel();
    this.#timer = undefined;
    refresh(this);
  }

  /**
   * Fires, now, the deadlines that are due on this scope and its visible ancestors but whose timers
   * have not run yet, so that a deadline wins over a wake-up due at the same instant.
   */
  expireDeadlines(): void {
    let now: number | undefined;
    let due: ScopeImpl | undefined;
    for (let scope: ScopeImpl | undefined = this; scope !== undefined; scope = scope.parent) {
      if (scope.#own === undefined && scope.#deadline !== Number.POSITIVE_INFINITY) {
        now ??= this.clock.now();
        if (scope.#deadline <= now) due = scope;
      }
      if (scope.#shield) break;
    }
    // The outermost due deadline first: its cancellation covers the inner ones.
    due?.cancelWith("deadline", undefined);
  }

  /**
   * Whether this scope absorbs `error` at its boundary: it must be a cancellation from this part of
   * the tree, this scope must be cancelled itself, and no cancelled outer scope may be visible.
   */
  absorbs(error: unknown): boolean {
    if (this.#own === undefined || !CancelledError.is(error)) return false;
    if (!this.#shield && this.parent !== undefined && this.parent.#effective !== undefined) return false;
    return this.related(error);
  }

  /** Whether `error` was created by this scope, an ancestor or a descendant. */
  related(error: CancelledError): boolean {
    const origin = origins.get(error);
    if (origin === undefined) return false;
    for (let scope: ScopeImpl | undefined = origin; scope !== undefined; scope = scope.parent) {
      if (scope === this) return true;
    }
    for (let scope = this.parent; scope !== undefined; scope = scope.parent) {
      if (scope === origin) return true;
    }
    return false;
  }

  /** Records that this scope absorbed a cancellation. */
  markCaught(): void {
    this.#caught = true;
  }

  /** Ends the scope: clears its deadline timer and unlinks it from its parent. */
  exit(): void {
    if (this.exited) return;
    this.exited = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    const parent = this.parent;
    if (parent === undefined) return;
    if (this.prevSibling === undefined) parent.firstChild = this.nextSibling;
    else this.prevSibling.nextSibling = this.nextSibling;
    if (this.nextSibling === undefined) parent.lastChild = this.prevSibling;
    else this.nextSibling.prevSibling = this.prevSibling;
    this.prevSibling = undefined;
    this.nextSibling = undefined;
  }

  addWaiter(waiter: ScopeWaiter): void {
    waiter.prevWaiter = this.lastWaiter;
    waiter.nextWaiter = undefined;
    if (this.lastWaiter === undefined) this.firstWaiter = waiter;
    else this.lastWaiter.nextWaiter = waiter;
    this.lastWaiter = waiter;
  }

  removeWaiter(waiter: ScopeWaiter): void {
    if (waiter.prevWaiter === undefined) this.firstWaiter = waiter.nextWaiter;
    else waiter.prevWaiter.nextWaiter = waiter.nextWaiter;
    if (waiter.nextWaiter === undefined) this.lastWaiter = waiter.prevWaiter;
    else waiter.nextWaiter.prevWaiter = waiter.prevWaiter;
    waiter.prevWaiter = undefined;
    waiter.nextWaiter = undefined;
  }

  /** Recomputes the effective cancellation; returns whether it changed. */
  recompute(): boolean {
    const parent = this.parent;
    const inherited = this.#shield || parent === undefined ? undefined : parent.#effective;
    const current = this.#effective;
    // A cancellation in force stays in force (the first error wins) while its cause holds.
    if (current !== undefined && (current === this.#own || current === inherited)) return false;
    const next = this.#own ?? inherited;
    if (next === current) return false;
    this.#effective = next;
    if (next === undefined) {
      // Uncancelled by a shield: an aborted signal cannot be reset, so hand out a fresh one.
      if (this.#controller?.signal.aborted) this.#controller = undefined;
      return true;
    }
    for (let waiter = this.firstWaiter; waiter !== undefined; waiter = this.firstWaiter) {
      this.removeWaiter(waiter);
      waiter.wake(next);
    }
    this.#controller?.abort(next);
    return true;
  }

  get [Symbol.toStringTag](): string {
    return "Scope";
  }
}
Object.defineProperty(ScopeImpl.prototype, SCOPE, { value: true });

/** Propagates a change of `root`'s cancellation state through its subtree, without recursion. */
function refresh(root: ScopeImpl): void {
  if (!root.recompute()) return;
  const stack: ScopeImpl[] = [];
  for (let child = root.lastChild; child !== undefined; child = child.prevSibling) stack.push(child);
  while (stack.length > 0) {
    const scope = stack.pop() as ScopeImpl;
    if (!scope.recompute()) continue;
    for (let child = scope.lastChild; child !== undefined; child = child.prevSibling) stack.push(child);
  }
}

/**
 * Whether `value` is a Weft {@link Scope} (also one made by another copy of this package).
 * @param value - Anything.
 * @returns `true` for a scope.
 * @example
 * ```ts
 * import { isScope, run } from "@weft/core";
 *
 * await run(async (scope) => {
 *   console.log(isScope(scope), isScope({ signal: scope.signal })); // true false
 * });
 * ```
 */
export function isScope(value: unknown): value is Scope {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SCOPE] === true;
}

/** Returns `value` as a scope of this copy of core, or throws a `TypeError` naming `name`. */
export function toScope(value: unknown, name: string): ScopeImpl {
  if (value instanceof ScopeImpl) return value;
  if (isScope(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be a Scope of this copy of @weft/core; two copies of @weft/core are loaded`,
    );
  }
  throw new TypeError(`Expected \`${name}\` to be a Scope, got ${describeValue(value)}`);
}
