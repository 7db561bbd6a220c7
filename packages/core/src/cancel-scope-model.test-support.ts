import {
  type Describe,
  type NormalError,
  normalize,
  type ScopeNode,
  type StepNode,
  type Timeline,
  type Token,
} from "./cancel-scope-spec.test-support.ts";
import { ModelClock, type ModelTimer } from "./model-clock.test-support.ts";

// ---------------------------------------------------------------------------------------------
// Reference model

export interface MCancel {
  origin: number;
  source: "explicit" | "deadline";
}

export class MScope {
  readonly id: number;
  readonly parent: MScope | undefined;
  shield: boolean;
  readonly kids = new Set<MScope>();
  own: MCancel | undefined;
  effective: MCancel | undefined;
  deadline = Number.POSITIVE_INFINITY;
  deadlineTimer: MTimer | undefined;
  exited = false;

  constructor(id: number, parent: MScope | undefined, shield: boolean) {
    this.id = id;
    this.parent = parent;
    this.shield = shield;
    parent?.kids.add(this);
    this.effective = shield ? undefined : parent?.effective;
  }
}

export type MTimer = ModelTimer;

export type MError =
  | { kind: "cancel"; cancel: MCancel }
  | { kind: "timeout"; scope: number; cause: MCancel | undefined };

/** What the model's programs throw. */
export class Thrown {
  readonly error: MError;
  constructor(error: MError) {
    this.error = error;
  }
}

export interface SleepRequest {
  scope: MScope;
  ms: number;
}
export type Program<T> = Generator<SleepRequest, T, MCancel | undefined>;

export const describeModel: Describe<MError> = (error, label) => {
  const cancelled = (cancel: MCancel): NormalError => ({
    cancelled: label(cancel),
    source: cancel.source,
    reason: cancel.source === "explicit" ? `reason:${cancel.origin}` : "undefined",
  });
  if (error.kind === "cancel") return cancelled(error.cancel);
  return {
    timeout: `timeout:${error.scope}`,
    cause: error.cause === undefined ? "undefined" : cancelled(error.cause),
  };
};

export class Model extends ModelClock {
  #sleeping: { scope: MScope; timer: MTimer; program: Program<Token> } | undefined;
  readonly timeline: Timeline<MError> = { scopes: {}, sleeps: {}, run: { ok: "pending" } };

  /** Runs `program` until it sleeps or ends; a sleep resumes it from a timer or a cancellation. */
  drive(program: Program<Token>, input: MCancel | undefined): void {
    let step: IteratorResult<SleepRequest, Token>;
    try {
      step = program.next(input);
    } catch (error) {
      if (!(error instanceof Thrown)) throw error;
      this.timeline.run = { error: error.error };
      return;
    }
    if (step.done === true) {
      this.timeline.run = { ok: step.value };
      return;
    }
    const { scope, ms } = step.value;
    const sleeping = {
      scope,
      program,
      timer: this.setTimer(this.now + ms, () => {
        // A deadline due at this instant wins over the wake-up.
        this.#expireDeadlines(scope);
        if (this.#sleeping !== sleeping) return;
        this.#sleeping = undefined;
        this.drive(program, undefined);
      }),
    };
    this.#sleeping = sleeping;
  }

  cancelWith(scope: MScope, source: MCancel["source"]): void {
    if (scope.own !== undefined) return;
    const cancel: MCancel = { origin: scope.id, source };
    scope.own = cancel;
    if (scope.deadlineTimer !== undefined) scope.deadlineTimer.live = false;
    scope.deadlineTimer = undefined;
    this.#refresh(scope);
  }

  setShield(scope: MScope, shield: boolean): void {
    if (scope.shield === shield) return;
    scope.shield = shield;
    this.#refresh(scope);
  }

  /**
   * Recomputes the cancellation in force below `root`: a scope keeps the one it has while its cause
   * holds (its own, or its parent's unless shielded), else takes its own or its parent's.
   */
  #refresh(root: MScope): void {
    const visit = (scope: MScope): void => {
      const inherited = scope.shield ? undefined : scope.parent?.effective;
      const current = scope.effective;
      if (current !== undefined && (current === scope.own || current === inherited)) return;
      const next = scope.own ?? inherited;
      if (next === current) return;
      scope.effective = next;
      for (const kid of scope.kids) visit(kid);
    };
    visit(root);
    const sleeping = this.#sleeping;
    if (sleeping?.scope.effective !== undefined) {
      this.#sleeping = undefined;
      sleeping.timer.live = false;
      this.drive(sleeping.program, sleeping.scope.effective);
    }
  }

  setDeadline(scope: MScope, deadline: number): void {
    scope.deadline = deadline;
    if (scope.deadlineTimer !== undefined) scope.deadlineTimer.live = false;
    scope.deadlineTimer = undefined;
    if (scope.own !== undefined || scope.exited || deadline === Number.POSITIVE_INFINITY) return;
    if (deadline <= this.now) this.cancelWith(scope, "deadline");
    else {
      scope.deadlineTimer = this.setTimer(deadline, () => {
        scope.deadlineTimer = undefined;
        this.cancelWith(scope, "deadline");
      });
    }
  }

  #expireDeadlines(scope: MScope): void {
    let due: MScope | undefined;
    for (let each: MScope | undefined = scope; each !== undefined; each = each.parent) {
      if (each.own === undefined && each.deadline <= this.now) due = each;
      if (each.shield) break;
    }
    if (due !== undefined) this.cancelWith(due, "deadline");
  }

  *sleep(scope: MScope, id: number, ms: number): Program<void> {
    const cancel = scope.effective ?? (yield { scope, ms });
    if (cancel === undefined) {
      this.timeline.sleeps[id] = { time: this.now, outcome: { ok: "slept" } };
      return;
    }
    this.timeline.sleeps[id] = { time: this.now, outcome: { error: { kind: "cancel", cancel } } };
    throw new Thrown({ kind: "cancel", cancel });
  }

  *steps(steps: StepNode[], scope: MScope): Program<void> {
    for (const step of steps) {
      if (step.kind === "sleep") yield* this.sleep(scope, step.id, step.ms);
      else {
        try {
          yield* this.scope(step.scope, scope);
        } catch (error) {
          if (!(step.swallow && error instanceof Thrown)) throw error;
        }
      }
    }
  }

  *scope(node: ScopeNode, parent: MScope): Program<Token> {
    const opened = this.now;
    const scope = new MScope(node.id, parent, node.shield);
    if (node.timeout !== null)
      this.setDeadline(scope, opened + (node.relative ? Math.max(0, node.timeout) : node.timeout));
    // The body starts: explicit cancel, rescheduling, shield change.
    let cancelTimer: MTimer | undefined;
    let rescheduleTimer: MTimer | undefined;
    let toggleTimer: MTimer | undefined;
    if (node.cancel === "now") this.cancelWith(scope, "explicit");
    else if (node.cancel !== null)
      cancelTimer = this.setTimer(opened + node.cancel, () => this.cancelWith(scope, "explicit"));
    const reschedule = node.reschedule;
    if (reschedule !== null) {
      const deadline =
        reschedule.timeout === null ? Number.POSITIVE_INFINITY : opened + reschedule.timeout;
      rescheduleTimer = this.setTimer(opened + reschedule.at, () =>
        this.setDeadline(scope, deadline),
      );
    }
    const toggle = node.toggle;
    if (toggle !== null) {
      toggleTimer = this.setTimer(opened + toggle.at, () => this.setShield(scope, toggle.shield));
    }
    let thrown: Thrown | undefined;
    try {
      yield* this.steps(node.steps, scope);
    } catch (error) {
      if (!(error instanceof Thrown)) throw error;
      thrown = error;
    } finally {
      if (cancelTimer !== undefined) cancelTimer.live = false;
      if (rescheduleTimer !== undefined) rescheduleTimer.live = false;
      if (toggleTimer !== undefined) toggleTimer.live = false;
    }
    // The scope's boundary.
    const absorbs =
      thrown?.error.kind === "cancel" &&
      scope.own !== undefined &&
      (scope.shield || parent.effective === undefined);
    scope.exited = true;
    if (scope.deadlineTimer !== undefined) scope.deadlineTimer.live = false;
    parent.kids.delete(scope);
    let outcome: { ok: Token } | { error: MError };
    if (thrown !== undefined && !absorbs) outcome = { error: thrown.error };
    else if (absorbs && node.kind === "fail")
      outcome = { error: { kind: "timeout", scope: node.id, cause: scope.effective } };
    else outcome = { ok: absorbs ? "undefined" : `body:${node.id}` };
    this.timeline.scopes[node.id] = {
      opened,
      settled: this.now,
      outcome,
      cancelCalled: scope.own !== undefined,
      cancelledCaught: absorbs,
      cancelled: scope.effective !== undefined,
    };
    if ("error" in outcome) throw new Thrown(outcome.error);
    return outcome.ok;
  }

  *root(steps: StepNode[]): Program<Token> {
    yield* this.steps(steps, new MScope(-1, undefined, false));
    return "root";
  }
}

export function simulate(steps: StepNode[]): Timeline<NormalError> {
  const model = new Model();
  model.drive(model.root(steps), undefined);
  model.runTimers();
  return normalize(model.timeline, describeModel);
}
