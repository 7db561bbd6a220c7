import type { Clock, TimerHandle } from "./clock.ts";
import { CancelledError, type CancelSource, hasBrand } from "./errors.ts";
import { assertNumber, describeValue } from "./internal/validate.ts";
import type { Runtime, TaskImpl } from "./task.ts";

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

/**
 * Scope state that most scopes never need: a deadline and its timer, an abort controller, the
 * scope's own cancellation, and, for tasks, the `result` promise and a `start` handshake.
 */
export interface Extra {
  deadline: number;
  timer: TimerHandle | undefined;
  controller: AbortController | undefined;
  /** The cancellation of this scope itself (`cancel()` or its deadline). */
  own: CancelledError | undefined;
  /** A task's `result` state, once somebody reads it. */
  result: object | undefined;
  /** A task started through `TaskGroup.start`: its handshake. */
  starter: object | undefined;
}

/** A function, whose name a task takes when none was given. */
export interface Named {
  readonly name: string;
}

const EXITED = 1;
const CAUGHT = 2;
const SHIELD = 4;

/**
 * The implementation behind {@link Scope}; internal to core.
 *
 * Kept small on purpose, because every task is one (100,000 pending tasks are 100,000 of these):
 * what few scopes need lives in a lazily made {@link Extra}, and the child and waiter lists are
 * doubly linked with one head field each (the head's `prev` points at the tail).
 */
export class ScopeImpl implements Scope {
  readonly parent: ScopeImpl | undefined;
  readonly runtime: Runtime;
  /** The task whose code runs in this scope (for a task's own scope: the task itself). */
  task!: TaskImpl<unknown>;
  /** The name; until it is first read, possibly the function whose name becomes the default. */
  #name: string | Named | undefined;
  #effective: CancelledError | undefined = undefined;
  /** `EXITED`, `CAUGHT`, `SHIELD`, and the bits a task keeps its state in. */
  flags: number;
  extra: Extra | undefined = undefined;

  firstChild: ScopeImpl | undefined = undefined;
  /** The previous sibling; for the first child, the last one. */
  prevSibling: ScopeImpl | undefined = undefined;
  /** The next sibling; `undefined` for the last child. */
  nextSibling: ScopeImpl | undefined = undefined;
  /** The first waiter; its `prevWaiter` is the last one. */
  firstWaiter: ScopeWaiter | undefined = undefined;

  constructor(
    parent: ScopeImpl | undefined,
    runtime: Runtime,
    name: string | Named | undefined,
    shield = false,
  ) {
    this.parent = parent;
    this.runtime = runtime;
    this.#name = name;
    this.flags = shield ? SHIELD : 0;
    if (parent !== undefined) {
      this.task = parent.task;
      const first = parent.firstChild;
      if (first === undefined) {
        parent.firstChild = this;
        this.prevSibling = this;
      } else {
        const last = first.prevSibling as ScopeImpl;
        last.nextSibling = this;
        this.prevSibling = last;
        first.prevSibling = this;
      }
      if (!shield) this.#effective = parent.#effective;
    }
  }

  get clock(): Clock {
    return this.runtime.clock;
  }

  get exited(): boolean {
    return (this.flags & EXITED) !== 0;
  }

  get name(): string {
    const name = this.#name;
    if (typeof name === "string") return name;
    const named = name?.name || this.defaultName();
    this.#name = named;
    return named;
  }

  /** The name used when none was given. */
  defaultName(): string {
    return "scope";
  }

  /** The scope's {@link Extra}, made on first need. */
  extraState(): Extra {
    this.extra ??= {
      deadline: Number.POSITIVE_INFINITY,
      timer: undefined,
      controller: undefined,
      own: undefined,
      result: undefined,
      starter: undefined,
    };
    return this.extra;
  }

  get signal(): AbortSignal {
    const extra = this.extraState();
    if (extra.controller === undefined) {
      extra.controller = new AbortController();
      if (this.#effective !== undefined) extra.controller.abort(this.#effective);
    }
    return extra.controller.signal;
  }

  get cancelled(): boolean {
    return this.#effective !== undefined;
  }

  get cancelCalled(): boolean {
    return this.extra?.own !== undefined;
  }

  get cancelledCaught(): boolean {
    return (this.flags & CAUGHT) !== 0;
  }

  /** The error that operations in this scope throw, while it is cancelled. */
  get error(): CancelledError | undefined {
    return this.#effective;
  }

  get deadline(): number {
    return this.extra?.deadline ?? Number.POSITIVE_INFINITY;
  }

  set deadline(value: number) {
    assertNumber(value, "deadline");
    const extra = this.extraState();
    extra.deadline = value;
    this.#clearTimer();
    if (extra.own !== undefined || this.exited || value === Number.POSITIVE_INFINITY) return;
    if (value <= this.clock.now()) {
      // Time may have passed an earlier outer deadline too (a busy machine): that one wins.
      this.expireDeadlines(value);
      this.cancelWith("deadline", undefined);
    } else {
      extra.timer = this.clock.setTimer(value, () => {
        extra.timer = undefined;
        // A late clock (a busy real one) may run this before an earlier outer deadline that has
        // passed too: that one still wins. Deadlines of the same instant keep registration order.
        this.expireDeadlines(value);
        this.cancelWith("deadline", undefined);
      });
    }
  }

  #clearTimer(): void {
    const extra = this.extra;
    if (extra?.timer !== undefined) {
      extra.timer.cancel();
      extra.timer = undefined;
    }
  }

  get shield(): boolean {
    return (this.flags & SHIELD) !== 0;
  }

  set shield(value: boolean) {
    if (typeof value !== "boolean") {
      throw new TypeError(`Expected \`shield\` to be a boolean, got ${describeValue(value)}`);
    }
    if (value === this.shield) return;
    this.flags ^= SHIELD;
    refresh(this);
  }

  cancel(reason?: unknown): void {
    this.cancelWith("explicit", reason);
  }

  /** Cancels this scope with the given source; the first cancellation wins. */
  cancelWith(source: CancelSource, reason: unknown): void {
    const extra = this.extraState();
    if (extra.own !== undefined) return;
    const error = new CancelledError(undefined, { reason, source });
    origins.set(error, this);
    extra.own = error;
    this.#clearTimer();
    refresh(this);
  }

  /**
   * Fires, now, the deadlines that are due on this scope and its visible ancestors but whose timers
   * have not run yet, so that a deadline wins over a wake-up due at the same instant. With
   * `before`, only deadlines earlier than it count.
   */
  expireDeadlines(before: number = Number.POSITIVE_INFINITY): void {
    let now: number | undefined;
    let due: ScopeImpl | undefined;
    for (let scope: ScopeImpl | undefined = this; scope !== undefined; scope = scope.parent) {
      const extra = scope.extra;
      if (
        extra !== undefined &&
        extra.own === undefined &&
        extra.deadline !== Number.POSITIVE_INFINITY
      ) {
        now ??= this.clock.now();
        if (extra.deadline <= now && extra.deadline < before) due = scope;
      }
      if ((scope.flags & SHIELD) !== 0) break;
    }
    // The outermost due deadline first: its cancellation covers the inner ones.
    due?.cancelWith("deadline", undefined);
  }

  /**
   * Whether this scope absorbs `error` at its boundary: it must be a cancellation from this part of
   * the tree, this scope must be cancelled itself, and no cancelled outer scope may be visible.
   */
  absorbs(error: unknown): boolean {
    if (this.extra?.own === undefined || !CancelledError.is(error)) return false;
    if (
      (this.flags & SHIELD) === 0 &&
      this.parent !== undefined &&
      this.parent.#effective !== undefined
    )
      return false;
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
    this.flags |= CAUGHT;
  }

  /** Ends the scope: clears its deadline timer and unlinks it from its parent. */
  exit(): void {
    if (this.exited) return;
    this.flags |= EXITED;
    this.#clearTimer();
    const parent = this.parent;
    if (parent === undefined) return;
    const prev = this.prevSibling as ScopeImpl;
    const next = this.nextSibling;
    if (parent.firstChild === this) parent.firstChild = next;
    else {
      prev.nextSibling = next;
      if (next === undefined) (parent.firstChild as ScopeImpl).prevSibling = prev;
    }
    if (next !== undefined) next.prevSibling = prev;
    this.prevSibling = undefined;
    this.nextSibling = undefined;
  }

  addWaiter(waiter: ScopeWaiter): void {
    const first = this.firstWaiter;
    waiter.nextWaiter = undefined;
    if (first === undefined) {
      this.firstWaiter = waiter;
      waiter.prevWaiter = waiter;
    } else {
      const last = first.prevWaiter as ScopeWaiter;
      last.nextWaiter = waiter;
      waiter.prevWaiter = last;
      first.prevWaiter = waiter;
    }
  }

  removeWaiter(waiter: ScopeWaiter): void {
    const prev = waiter.prevWaiter as ScopeWaiter;
    const next = waiter.nextWaiter;
    if (this.firstWaiter === waiter) this.firstWaiter = next;
    else {
      prev.nextWaiter = next;
      if (next === undefined) (this.firstWaiter as ScopeWaiter).prevWaiter = prev;
    }
    if (next !== undefined) next.prevWaiter = prev;
    waiter.prevWaiter = undefined;
    waiter.nextWaiter = undefined;
  }

  /** Recomputes the effective cancellation; returns whether it changed. */
  recompute(): boolean {
    const parent = this.parent;
    const inherited =
      (this.flags & SHIELD) !== 0 || parent === undefined ? undefined : parent.#effective;
    const current = this.#effective;
    const extra = this.extra;
    // A cancellation in force stays in force (the first error wins) while its cause holds.
    const own = extra?.own;
    if (current !== undefined && (current === own || current === inherited)) return false;
    const next = own ?? inherited;
    if (next === current) return false;
    this.#effective = next;
    // An aborted signal cannot be reset: when a shield lifts the cancellation, or swaps the
    // inherited error for the scope's own, the next read of `signal` hands out a fresh one, so that
    // its reason is always the error this scope's operations throw.
    if (extra?.controller?.signal.aborted) extra.controller = undefined;
    if (next === undefined) return true;
    for (let waiter = this.firstWaiter; waiter !== undefined; waiter = this.firstWaiter) {
      this.removeWaiter(waiter);
      waiter.wake(next);
    }
    extra?.controller?.abort(next);
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
  pushChildren(root, stack);
  while (stack.length > 0) {
    const scope = stack.pop() as ScopeImpl;
    if (scope.recompute()) pushChildren(scope, stack);
  }
}

/** Pushes the children of `scope`, last first, so that they pop in order. */
function pushChildren(scope: ScopeImpl, stack: ScopeImpl[]): void {
  const first = scope.firstChild;
  if (first === undefined) return;
  for (let child = first.prevSibling as ScopeImpl; ; child = child.prevSibling as ScopeImpl) {
    stack.push(child);
    if (child === first) return;
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
  return hasBrand(value, SCOPE);
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
