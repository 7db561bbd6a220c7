import { ModelClock, type ModelTimer } from "./model-clock.test-support.ts";

import {
  type ChildNode,
  type Delay,
  type GroupNode,
  type NormalError,
  type NormalOutcome,
  type Timeline,
  type Token,
  thrownToken,
} from "./task-group-spec.test-support.ts";

// ---------------------------------------------------------------------------------------------
// Reference model

export interface MCancel {
  source: "failure" | "explicit" | "signal";
  reason: Token;
  origin: MScope;
}
export type MError =
  | { kind: "value"; token: Token }
  | { kind: "tge"; group: number; errors: MError[] }
  | { kind: "cancel"; cancel: MCancel };
export type MOutcome = { ok: true; value: Token } | { ok: false; error: MError };

export class MScope {
  readonly parent: MScope | undefined;
  readonly shield: boolean;
  readonly kids = new Set<MScope>();
  readonly waiters = new Set<MWaiter>();
  own: MCancel | undefined;
  effective: MCancel | undefined;

  constructor(parent: MScope | undefined, shield = false) {
    this.parent = parent;
    this.shield = shield;
    parent?.kids.add(this);
    this.effective = shield ? undefined : parent?.effective;
  }

  exit(): void {
    this.parent?.kids.delete(this);
  }

  isWithin(other: MScope): boolean {
    for (let scope: MScope | undefined = this; scope !== undefined; scope = scope.parent) {
      if (scope === other) return true;
    }
    return false;
  }
}

export type MTimer = ModelTimer;

export interface MWaiter {
  timer: MTimer | undefined;
  wake(cancel: MCancel): void;
}

export interface MGroup {
  node: GroupNode;
  scope: MScope;
  failures: MError[];
  cancellation: MCancel | undefined;
  live: number;
  bodyDone: boolean;
  value: Token;
  done: boolean;
  onDone(outcome: MOutcome): void;
}

export function reasonToken(error: MError): Token {
  if (error.kind === "value") return error.token;
  if (error.kind === "tge") return `tge:${error.group}`;
  return "unexpected cancellation as a reason";
}

export function normalizeModel(error: MError): NormalError {
  if (error.kind === "value") return error.token;
  if (error.kind === "tge") {
    return {
      taskGroupError: `tge:${error.group}`,
      count: error.errors.length,
      errors: error.errors.map(normalizeModel),
    };
  }
  return { cancelled: error.cancel.source, reason: error.cancel.reason };
}

export function normalizeModelOutcome(outcome: MOutcome): NormalOutcome {
  return outcome.ok ? { ok: outcome.value } : { error: normalizeModel(outcome.error) };
}

export class Model extends ModelClock {
  readonly timeline: Timeline = { groups: {}, tasks: {}, run: { ok: "pending" } };

  /** `scope.cancelWith(source, reason)`: the first cancellation wins, descendants share it. */
  cancel(scope: MScope, source: MCancel["source"], reason: Token): void {
    if (scope.own !== undefined) return;
    const cancel: MCancel = { source, reason, origin: scope };
    scope.own = cancel;
    if (scope.effective !== undefined) return;
    const woken: MWaiter[] = [];
    const visit = (each: MScope): void => {
      if (each.effective !== undefined) return;
      each.effective = cancel;
      for (const waiter of each.waiters) woken.push(waiter);
      each.waiters.clear();
      for (const kid of each.kids) if (!kid.shield) visit(kid);
    };
    visit(scope);
    // Every scope is updated first; the woken waiters resume afterwards, like microtasks.
    for (const waiter of woken) {
      if (waiter.timer !== undefined) waiter.timer.live = false;
      waiter.wake(cancel);
    }
  }

  /** A weft wait on `scope`: `ms` of sleep, or until cancelled. */
  wait(
    scope: MScope,
    ms: number | "forever",
    resume: () => void,
    cancelled: (cancel: MCancel) => void,
  ): void {
    if (scope.effective !== undefined) {
      cancelled(scope.effective);
      return;
    }
    const waiter: MWaiter = { timer: undefined, wake: cancelled };
    if (ms !== "forever") {
      waiter.timer = this.setTimer(this.now + ms, () => {
        scope.waiters.delete(waiter);
        resume();
      });
    }
    scope.waiters.add(waiter);
  }

  openGroup(parent: MScope, node: GroupNode, onDone: (outcome: MOutcome) => void): void {
    const group: MGroup = {
      node,
      scope: new MScope(parent),
      failures: [],
      cancellation: undefined,
      live: node.children.length,
      bodyDone: false,
      value: "undefined",
      done: false,
      onDone,
    };
    const tasks = node.children.map((child) => ({ child, scope: new MScope(group.scope) }));
    const body = node.body;
    const interrupted = (cancel: MCancel): void =>
      this.#bodyEnd(group, { ok: false, error: { kind: "cancel", cancel } });
    if (body.kind === "wait") this.wait(group.scope, "forever", () => {}, interrupted);
    else if (body.kind === "throw") {
      this.wait(
        group.scope,
        body.delay,
        () =>
          this.#bodyEnd(group, {
            ok: false,
            error: { kind: "value", token: thrownToken(node.id) },
          }),
        interrupted,
      );
    } else if (body.delay !== null) {
      this.wait(
        group.scope,
        body.delay,
        () => this.#bodyEnd(group, { ok: true, value: `body:${node.id}` }),
        interrupted,
      );
    }
    // Children start after the body's synchronous part, in spawn order.
    for (const { child, scope } of tasks) this.#launch(group, child, scope);
    if (body.kind === "return" && body.delay === null)
      this.#bodyEnd(group, { ok: true, value: `body:${node.id}` });
  }

  #launch(group: MGroup, child: ChildNode, scope: MScope): void {
    const end = (outcome: MOutcome): void => this.#taskEnd(group, child, scope, outcome);
    const cancelled = (cancel: MCancel): void =>
      end({ ok: false, error: { kind: "cancel", cancel } });
    const act = (delay: Delay, action: () => void): void => {
      if (delay === null) action();
      else this.wait(scope, delay, action, cancelled);
    };
    const returned: MOutcome = { ok: true, value: `ret:${child.id}` };
    switch (child.kind) {
      case "return":
        act(child.delay, () => end(returned));
        break;
      case "throw":
        act(child.delay, () =>
          end({ ok: false, error: { kind: "value", token: thrownToken(child.id) } }),
        );
        break;
      case "cancel":
        act(child.delay, () => {
          this.cancel(group.scope, "explicit", `reason:${child.id}`);
          end(returned);
        });
        break;
      case "wait":
        this.wait(scope, "forever", () => {}, cancelled);
        break;
      case "cleanup": {
        const after = child.after;
        this.wait(
          scope,
          child.delay,
          () => end(returned),
          (cancel) => {
            // Cleanup in a shielded scope, then throw, rethrow the cancellation, or swallow it.
            const shielded = new MScope(scope, true);
            this.wait(
              shielded,
              child.cleanup,
              () => {
                shielded.exit();
                if (after === "return") end(returned);
                else if (after === "rethrow") end({ ok: false, error: { kind: "cancel", cancel } });
                else end({ ok: false, error: { kind: "value", token: thrownToken(child.id) } });
              },
              () => {
                throw new Error("model: a shielded cleanup was cancelled");
              },
            );
          },
        );
        break;
      }
      case "group":
        act(child.delay, () => this.openGroup(scope, child.group, end));
        break;
    }
  }

  #failed(group: MGroup, error: MError): void {
    const effective = group.scope.effective;
    if (
      error.kind === "cancel" &&
      effective !== undefined &&
      (group.scope.isWithin(error.cancel.origin) || error.cancel.origin.isWithin(group.scope))
    ) {
      group.cancellation ??= error.cancel;
      return;
    }
    group.failures.push(error);
    if (group.failures.length === 1) this.cancel(group.scope, "failure", reasonToken(error));
  }

  #taskEnd(group: MGroup, child: ChildNode, scope: MScope, outcome: MOutcome): void {
    this.timeline.tasks[child.id] = { time: this.now, outcome: normalizeModelOutcome(outcome) };
    scope.exit();
    if (!outcome.ok) this.#failed(group, outcome.error);
    group.live--;
    this.#complete(group);
  }

  #bodyEnd(group: MGroup, outcome: MOutcome): void {
    if (outcome.ok) group.value = outcome.value;
    else this.#failed(group, outcome.error);
    group.bodyDone = true;
    this.#complete(group);
  }

  #complete(group: MGroup): void {
    if (group.done || !group.bodyDone || group.live > 0) return;
    group.done = true;
    const scope = group.scope;
    scope.exit();
    let outcome: MOutcome;
    if (group.failures.length > 0) {
      outcome = {
        ok: false,
        error: { kind: "tge", group: group.node.id, errors: [...group.failures] },
      };
    } else if (group.cancellation === undefined) outcome = { ok: true, value: group.value };
    else if (scope.own !== undefined && scope.parent?.effective === undefined)
      outcome = { ok: true, value: group.value };
    else outcome = { ok: false, error: { kind: "cancel", cancel: group.cancellation } };
    this.timeline.groups[group.node.id] = {
      time: this.now,
      outcome: normalizeModelOutcome(outcome),
    };
    group.onDone(outcome);
  }
}

export function simulate(root: GroupNode): Timeline {
  const model = new Model();
  const runScope = new MScope(undefined);
  let result: MOutcome | undefined;
  model.openGroup(runScope, root, (outcome) => {
    result = outcome;
  });
  model.runTimers();
  // `run`'s signal is aborted once the clock has run dry; cleanups may then run the clock again.
  if (result === undefined) {
    model.cancel(runScope, "signal", "abort");
    model.runTimers();
  }
  if (result === undefined)
    throw new Error("model: the run did not settle after its signal aborted");
  model.timeline.run = normalizeModelOutcome(result);
  return model.timeline;
}
