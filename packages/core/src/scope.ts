import { absorbs, type CancelNode, createCancellation, isRelated } from "./cancel-origin.ts";
import { refresh } from "./cancel-propagation.ts";
import { type Clock, setDeadlineTimer, type TimerHandle } from "./clock.ts";
import type { CancelledError, CancelSource } from "./errors.ts";
import { CAUGHT, EXITED, SHIELD } from "./flags.ts";
import { addBrand } from "./internal/brand.ts";
import { append, type ListNode, unlink } from "./internal/linked-list.ts";
import { assertNumber, describeValue } from "./internal/validate.ts";
import type { Runtime } from "./runtime.ts";
import type { Scope } from "./types.ts";

/** The brand of every scope, also of scopes made by another copy of this package. */
export const SCOPE_BRAND: unique symbol = Symbol.for("weft.Scope");

/** What a scope needs of the task whose code runs in it: a name for messages, and the blocked mark. */
export interface ScopeTask {
  readonly id: number;
  readonly name: string;
  /** Marks the task as blocked in a Weft wait labelled `label`. */
  block(label: string): void;
  /** Ends one Weft wait labelled `label`. */
  unblock(label: string): void;
}

/** Something blocked on a scope, woken with the scope's error when the scope becomes cancelled. */
export interface ScopeWaiter extends ListNode<ScopeWaiter> {
  wake(error: CancelledError): void;
}

/**
 * The cancellation state that most scopes never need, made on first need: a deadline and its
 * timer, the abort controller behind `signal`, and the scope's own cancellation.
 */
export interface CancelState {
  deadline: number;
  timer: TimerHandle | undefined;
  controller: AbortController | undefined;
  /** The cancellation of this scope itself (`cancel()` or its deadline). */
  own: CancelledError | undefined;
}

/** A function, whose name a task takes when none was given. */
export interface Named {
  readonly name: string;
}

/**
 * The implementation behind {@link Scope}; internal to core. A plain scope is a `ChildScope` (child-scope.ts);
 * a task is its own scope (task.ts), and so is a task group (task-group.ts).
 *
 * Kept small on purpose, because every task is one (100,000 pending tasks are 100,000 of these):
 * what few scopes need lives in a lazily made {@link CancelState}, and the children and waiters are
 * intrusive lists (as in internal/linked-list.ts) with one head field each.
 */
export abstract class ScopeImpl implements Scope, CancelNode, ListNode<ScopeImpl> {
  readonly parent: ScopeImpl | undefined;
  readonly runtime: Runtime;
  /** The task whose code runs in this scope (for a task's own scope: the task itself). */
  abstract readonly task: ScopeTask;
  /** The name; until it is first read, possibly the function whose name becomes the default. */
  #name: string | Named | undefined;
  #effective: CancelledError | undefined = undefined;
  /** The bits of flags.ts: `EXITED`, `CAUGHT`, `SHIELD`, and a task's state. */
  flags: number;
  cancelState: CancelState | undefined = undefined;

  firstChild: ScopeImpl | undefined = undefined;
  /** The previous sibling; for the first child, the last one. */
  prev: ScopeImpl | undefined = undefined;
  /** The next sibling; `undefined` for the last child. */
  next: ScopeImpl | undefined = undefined;
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
      // Linked as in internal/linked-list.ts, by code of its own (see `exit`).
      const first = parent.firstChild;
      if (first === undefined) {
        parent.firstChild = this;
        this.prev = this;
      } else {
        const last = first.prev ?? first;
        last.next = this;
        this.prev = last;
        first.prev = this;
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

  /** The scope's {@link CancelState}, made on first need. */
  ensureCancelState(): CancelState {
    this.cancelState ??= {
      deadline: Number.POSITIVE_INFINITY,
      timer: undefined,
      controller: undefined,
      own: undefined,
    };
    return this.cancelState;
  }

  get signal(): AbortSignal {
    const state = this.ensureCancelState();
    if (state.controller === undefined) {
      state.controller = new AbortController();
      if (this.#effective !== undefined) state.controller.abort(this.#effective);
    }
    return state.controller.signal;
  }

  get cancelled(): boolean {
    return this.#effective !== undefined;
  }

  get cancelCalled(): boolean {
    return this.cancelState?.own !== undefined;
  }

  get cancelledCaught(): boolean {
    return (this.flags & CAUGHT) !== 0;
  }

  /** The error that operations in this scope throw, while it is cancelled. */
  get error(): CancelledError | undefined {
    return this.#effective;
  }

  get deadline(): number {
    return this.cancelState?.deadline ?? Number.POSITIVE_INFINITY;
  }

  set deadline(value: number) {
    assertNumber(value, "deadline");
    const state = this.ensureCancelState();
    const armed = state.own === undefined && !this.exited && value !== Number.POSITIVE_INFINITY;
    if (armed && value > this.clock.now()) {
      // Armed before anything changes: a clock whose setTimer throws leaves the old deadline set.
      const timer = setDeadlineTimer(this.clock, value, () => {
        state.timer = undefined;
        // A late clock (a busy real one) may run this before an earlier outer deadline that has
        // passed too: that one still wins. Deadlines of the same instant keep registration order.
        this.expireDeadlines(value);
        this.cancelWith("deadline", undefined);
      });
      this.#clearTimer();
      state.deadline = value;
      state.timer = timer;
      return;
    }
    state.deadline = value;
    this.#clearTimer();
    if (!armed) return;
    // Time may have passed an earlier outer deadline too (a busy machine): that one wins.
    this.expireDeadlines(value);
    this.cancelWith("deadline", undefined);
  }

  #clearTimer(): void {
    const state = this.cancelState;
    if (state?.timer !== undefined) {
      state.timer.cancel();
      state.timer = undefined;
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
    refresh<ScopeImpl>(this);
  }

  cancel(reason?: unknown): void {
    this.cancelWith("explicit", reason);
  }

  /** Cancels this scope with the given source; the first cancellation wins. */
  cancelWith(source: CancelSource, reason: unknown): void {
    const state = this.ensureCancelState();
    if (state.own !== undefined) return;
    state.own = createCancellation(this, source, reason);
    this.#clearTimer();
    refresh<ScopeImpl>(this);
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
      const state = scope.cancelState;
      if (
        state !== undefined &&
        state.own === undefined &&
        state.deadline !== Number.POSITIVE_INFINITY
      ) {
        now ??= this.clock.now();
        if (state.deadline <= now && state.deadline < before) due = scope;
      }
      if ((scope.flags & SHIELD) !== 0) break;
    }
    // The outermost due deadline first: its cancellation covers the inner ones.
    due?.cancelWith("deadline", undefined);
  }

  /** Whether this scope absorbs `error` at its boundary (see cancel-origin.ts). */
  absorbs(error: unknown): boolean {
    return absorbs(this, error);
  }

  /** Whether `error` was created by this scope, an ancestor or a descendant. */
  related(error: CancelledError): boolean {
    return isRelated(this, error);
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
    // The children are linked as in internal/linked-list.ts, but by code of their own: the list's
    // functions, shared with every waiter list, see too many shapes of node to stay fast on the
    // path of every spawn (measured: 7% more CPU time for 100,000 trivial tasks).
    const prev = this.prev;
    const next = this.next;
    const first = parent.firstChild;
    if (first === this) parent.firstChild = next;
    else if (prev !== undefined) {
      prev.next = next;
      if (next === undefined && first !== undefined) first.prev = prev;
    }
    if (next !== undefined) next.prev = prev;
    this.prev = undefined;
    this.next = undefined;
  }

  addWaiter(waiter: ScopeWaiter): void {
    this.firstWaiter = append(this.firstWaiter, waiter);
  }

  removeWaiter(waiter: ScopeWaiter): void {
    this.firstWaiter = unlink(this.firstWaiter, waiter);
  }

  /** Recomputes the effective cancellation; returns whether it changed. */
  recompute(): boolean {
    const parent = this.parent;
    const inherited =
      (this.flags & SHIELD) !== 0 || parent === undefined ? undefined : parent.#effective;
    const current = this.#effective;
    const state = this.cancelState;
    // A cancellation in force stays in force (the first error wins) while its cause holds.
    const own = state?.own;
    if (current !== undefined && (current === own || current === inherited)) return false;
    const next = own ?? inherited;
    if (next === current) return false;
    this.#effective = next;
    // An aborted signal cannot be reset: when a shield lifts the cancellation, or swaps the
    // inherited error for the scope's own, the next read of `signal` hands out a fresh one, so that
    // its reason is always the error this scope's operations throw.
    if (state?.controller?.signal.aborted) state.controller = undefined;
    if (next === undefined) return true;
    for (let waiter = this.firstWaiter; waiter !== undefined; waiter = this.firstWaiter) {
      this.removeWaiter(waiter);
      waiter.wake(next);
    }
    state?.controller?.abort(next);
    return true;
  }

  get [Symbol.toStringTag](): string {
    return "Scope";
  }
}
addBrand(ScopeImpl, SCOPE_BRAND);
