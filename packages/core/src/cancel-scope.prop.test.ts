import { fc, it } from "@fast-check/vitest";
import { DeadlockError, fakeTime, type TestClock } from "@weft/testing";
import { describe, expect } from "vitest";
import {
  CancelledError,
  cancelScope,
  failAfter,
  failAt,
  moveOnAfter,
  moveOnAt,
  type Scope,
  TimeoutError,
  type TimerHandle,
} from "./index.ts";
import { macrotask } from "./internal/macrotask.ts";
import { ModelClock, type ModelTimer, timerSleep } from "./model-clock.test-support.ts";

// Random nests of cancel scopes, run under the fake-time harness and checked against a reference
// model.
//
// Each scope (`cancelScope`, `moveOnAt`/`moveOnAfter` or `failAt`/`failAfter`) may have a deadline
// (possibly already past), a shield, an explicit `cancel()` (synchronously at the start of its body
// or at a later time), a rescheduling of its deadline at a later time (possibly to the past, or to
// none) and a later change of its shield. Its body runs steps one after the other: sleeps, and
// nested scopes whose `CancelledError` or `TimeoutError` the body may swallow.
//
// The model follows trio: a scope is cancelled by its own cancel or deadline, or by an ancestor
// unless a shield lies between; the first cancellation to reach a scope is the one it throws, for
// as long as its cause holds (a shield raised later lifts an ancestor's cancellation); a
// scope absorbs a `CancelledError` at its boundary only if its own cancel was called and no
// cancelled outer scope is visible from it; `fail*` turn an absorbed cancellation into a
// `TimeoutError`. Timers fire by due time, ties in registration order, and a deadline due at the
// same instant as a wake-up wins over it.

const NUM_RUNS = 200;

// ---------------------------------------------------------------------------------------------
// Specs

interface ScopeSpec {
  kind: "cancelScope" | "moveOn" | "fail";
  /** `true`: the relative form (`timeout` option, `moveOnAfter`, `failAfter`); else the absolute one. */
  relative: boolean;
  /** The deadline, relative to the time the scope opens (zero or negative: already due); `null`: none. */
  timeout: number | null;
  shield: boolean;
  /** `cancel()` synchronously when the body starts, or that many ms after the scope opened. */
  cancel: "now" | number | null;
  /** That many ms after opening, set `deadline` to opening time + `timeout` (`null`: `Infinity`). */
  reschedule: { at: number; timeout: number | null } | null;
  /** That many ms after opening, set `shield`. */
  toggle: { at: number; shield: boolean } | null;
  steps: StepSpec[];
}
/** `swallow`: the body catches a `CancelledError` or `TimeoutError` from the scope and goes on. */
type StepSpec =
  | { kind: "sleep"; ms: number }
  | { kind: "scope"; swallow: boolean; scope: ScopeSpec };

type ScopeNode = Omit<ScopeSpec, "steps"> & { id: number; steps: StepNode[] };
type StepNode =
  | { kind: "sleep"; id: number; ms: number }
  | { kind: "scope"; swallow: boolean; scope: ScopeNode };

/** Numbers scopes and sleeps in one id space, pre-order (the spec itself is never mutated). */
function number(steps: StepSpec[]): StepNode[] {
  let next = 0;
  const scope = (spec: ScopeSpec): ScopeNode => {
    const id = next++;
    return { ...spec, id, steps: spec.steps.map(step) };
  };
  const step = (spec: StepSpec): StepNode =>
    spec.kind === "sleep"
      ? { kind: "sleep", id: next++, ms: spec.ms }
      : { ...spec, scope: scope(spec.scope) };
  return steps.map(step);
}

/** Nests of scopes and sleeps, with every time and delay between 0 and about `maxTime`. */
function nestArb(maxTime: number): fc.Arbitrary<StepSpec[]> {
  const timeArb = fc.integer({ min: 0, max: maxTime });
  const timeoutArb = fc.integer({ min: -2, max: maxTime + 2 });
  const fieldsArb = fc.record({
    kind: fc.constantFrom("cancelScope" as const, "moveOn" as const, "fail" as const),
    relative: fc.boolean(),
    timeout: fc.option(timeoutArb, { nil: null, freq: 3 }),
    shield: fc.oneof(
      { arbitrary: fc.constant(false), weight: 3 },
      { arbitrary: fc.constant(true), weight: 1 },
    ),
    cancel: fc.oneof(
      { arbitrary: fc.constant(null), weight: 4 },
      { arbitrary: fc.constant("now" as const), weight: 1 },
      { arbitrary: timeArb, weight: 3 },
    ),
    reschedule: fc.option(
      fc.record({ at: timeArb, timeout: fc.option(timeoutArb, { nil: null, freq: 4 }) }),
      {
        nil: null,
        freq: 3,
      },
    ),
    toggle: fc.option(fc.record({ at: timeArb, shield: fc.boolean() }), { nil: null, freq: 3 }),
  });
  const sleepArb: fc.Arbitrary<StepSpec> = fc.record({
    kind: fc.constant("sleep" as const),
    ms: timeArb,
  });
  return fc.letrec<{ steps: StepSpec[]; step: StepSpec; scope: ScopeSpec }>((tie) => ({
    steps: fc.array(tie("step"), { minLength: 1, maxLength: 4 }),
    step: fc.oneof(
      { maxDepth: 4, depthIdentifier: "cancel-scope-nest" },
      { arbitrary: sleepArb, weight: 1 },
      {
        arbitrary: fc.record({
          kind: fc.constant("scope" as const),
          swallow: fc.boolean(),
          scope: tie("scope"),
        }),
        weight: 1,
      },
    ),
    scope: fc
      .tuple(fieldsArb, fc.array(tie("step"), { maxLength: 4 }))
      .map(([fields, steps]): ScopeSpec => ({ ...fields, steps })),
  })).steps;
}

const stepsArb = nestArb(8);

/**
 * A chain of scopes opened at the same instant around one sleep of `ms`, whose deadlines, cancels and
 * reschedulings fall at, just before or just after its wake-up: a deadline rescheduled while the
 * sleep runs lands behind the wake-up in the timer queue, and must still win over it.
 */
const tiedStepsArb: fc.Arbitrary<StepSpec[]> = fc.integer({ min: 1, max: 4 }).chain((ms) => {
  const nearArb = fc.constantFrom(ms - 1, ms, ms, ms + 1);
  const fieldsArb = fc.record({
    kind: fc.constantFrom("cancelScope" as const, "moveOn" as const, "fail" as const),
    relative: fc.boolean(),
    timeout: fc.option(nearArb, { nil: null, freq: 2 }),
    shield: fc.boolean(),
    cancel: fc.option(nearArb, { nil: null, freq: 2 }),
    reschedule: fc.option(
      fc.record({
        at: fc.integer({ min: 0, max: ms }),
        timeout: fc.oneof(
          { arbitrary: fc.constant(ms), weight: 3 },
          { arbitrary: nearArb, weight: 1 },
          { arbitrary: fc.constant(null), weight: 1 },
        ),
      }),
      { nil: null, freq: 5 },
    ),
    toggle: fc.constant(null),
    swallow: fc.boolean(),
  });
  return fc.array(fieldsArb, { minLength: 1, maxLength: 3 }).map((chain) =>
    chain.reduce<StepSpec[]>(
      (steps, { swallow, ...fields }) => [
        { kind: "scope", swallow, scope: { ...fields, steps } },
        { kind: "sleep", ms: 1 },
      ],
      [{ kind: "sleep", ms }],
    ),
  );
});

/**
 * Raising a shield lifts an ancestor's cancellation from a scope that was also cancelled on its
 * own: the scope keeps throwing, now its own `CancelledError`, and its signal must agree.
 */
const liftedByShield: StepSpec[] = (() => {
  const plain: ScopeSpec = {
    kind: "cancelScope",
    relative: false,
    timeout: null,
    shield: false,
    cancel: null,
    reschedule: null,
    toggle: null,
    steps: [],
  };
  const shielded: ScopeSpec = { ...plain, shield: true, steps: [{ kind: "sleep", ms: 0 }] };
  const inner: ScopeSpec = {
    ...plain,
    cancel: "now",
    toggle: { at: 0, shield: true },
    steps: [
      { kind: "scope", swallow: false, scope: shielded },
      { kind: "sleep", ms: 0 },
    ],
  };
  const outer: ScopeSpec = {
    ...plain,
    cancel: "now",
    steps: [{ kind: "scope", swallow: false, scope: inner }],
  };
  return [{ kind: "scope", swallow: false, scope: outer }];
})();

// ---------------------------------------------------------------------------------------------
// Timelines, recorded by the model and by the real run with their own kind of error `E`, and compared
// in a normal form: values become tokens handed out by identity, and cancellations become
// `cancel#n`, numbered by first appearance in a fixed walk of the timeline, so that equal labels
// mean the very same `CancelledError` instance.

type Token = string;
type Outcome<E> = { ok: Token } | { error: E };
type NormalError =
  | Token
  | { cancelled: Token; source: string; reason: Token }
  | { timeout: Token; cause: NormalError };

interface ScopeRecord<E> {
  opened: number;
  settled: number;
  outcome: Outcome<E>;
  cancelCalled: boolean;
  cancelledCaught: boolean;
  cancelled: boolean;
}

interface Timeline<E> {
  scopes: Record<string, ScopeRecord<E>>;
  /** `{ ok: "slept" }` or what the sleep threw. */
  sleeps: Record<string, { time: number; outcome: Outcome<E> }>;
  run: Outcome<E>;
}

type Describe<E> = (error: E, label: (cancellation: unknown) => Token) => NormalError;

function normalize<E>(timeline: Timeline<E>, describe: Describe<E>): Timeline<NormalError> {
  const labels = new Map<unknown, Token>();
  const label = (cancellation: unknown): Token => {
    let token = labels.get(cancellation);
    if (token === undefined) {
      token = `cancel#${labels.size}`;
      labels.set(cancellation, token);
    }
    return token;
  };
  const outcome = (value: Outcome<E>): Outcome<NormalError> =>
    "ok" in value ? value : { error: describe(value.error, label) };
  const ids = (record: object): string[] =>
    Object.keys(record).sort((a, b) => Number(a) - Number(b));
  const result: Timeline<NormalError> = { scopes: {}, sleeps: {}, run: outcome(timeline.run) };
  for (const id of ids(timeline.sleeps)) {
    const sleep = timeline.sleeps[id];
    if (sleep !== undefined) result.sleeps[id] = { ...sleep, outcome: outcome(sleep.outcome) };
  }
  for (const id of ids(timeline.scopes)) {
    const scope = timeline.scopes[id];
    if (scope !== undefined) result.scopes[id] = { ...scope, outcome: outcome(scope.outcome) };
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reference model

interface MCancel {
  origin: number;
  source: "explicit" | "deadline";
}

class MScope {
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

type MTimer = ModelTimer;

type MError =
  | { kind: "cancel"; cancel: MCancel }
  | { kind: "timeout"; scope: number; cause: MCancel | undefined };

/** What the model's programs throw. */
class Thrown {
  readonly error: MError;
  constructor(error: MError) {
    this.error = error;
  }
}

interface SleepRequest {
  scope: MScope;
  ms: number;
}
type Program<T> = Generator<SleepRequest, T, MCancel | undefined>;

const describeModel: Describe<MError> = (error, label) => {
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

class Model extends ModelClock {
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

function simulate(steps: StepNode[]): Timeline<NormalError> {
  const model = new Model();
  model.drive(model.root(steps), undefined);
  model.runTimers();
  return normalize(model.timeline, describeModel);
}

// ---------------------------------------------------------------------------------------------
// The real thing

function noop(): void {}

/** Hands out tokens by identity. */
class Tokens {
  readonly #tokens = new Map<unknown, Token>([[undefined, "undefined"]]);

  add<T>(value: T, token: Token): T {
    this.#tokens.set(value, token);
    return value;
  }

  has(value: unknown): boolean {
    return this.#tokens.has(value);
  }

  of(value: unknown): Token {
    return this.#tokens.get(value) ?? `unknown ${String(value)}`;
  }

  readonly describe: Describe<unknown> = (error, label) => {
    if (CancelledError.is(error)) {
      return { cancelled: label(error), source: error.source, reason: this.of(error.reason) };
    }
    if (TimeoutError.is(error)) {
      return { timeout: this.of(error), cause: this.describe(error.cause, label) };
    }
    return this.of(error);
  };
}

interface Observation {
  timeline: Timeline<NormalError>;
  /** Sleeps whose CancelledError is not their scope's `signal.reason`. */
  signals: string[];
  /** Timers pending on the clock when the run settled. */
  pending: number;
  unhandled: unknown[];
}

async function execute(steps: StepNode[]): Promise<Observation> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on("unhandledRejection", onUnhandled);
  try {
    const tokens = new Tokens();
    const timeline: Timeline<unknown> = { scopes: {}, sleeps: {}, run: { ok: "pending" } };
    const signals: string[] = [];

    const execSteps = async (nodes: StepNode[], scope: Scope): Promise<void> => {
      for (const step of nodes) {
        if (step.kind === "sleep") {
          try {
            await timerSleep(scope, step.ms);
            timeline.sleeps[step.id] = { time: scope.clock.now(), outcome: { ok: "slept" } };
          } catch (error) {
            timeline.sleeps[step.id] = { time: scope.clock.now(), outcome: { error } };
            const reason: unknown = scope.signal.reason;
            if (CancelledError.is(error) && reason !== error) {
              const name = (value: unknown): string =>
                CancelledError.is(value)
                  ? `the CancelledError of ${tokens.of(value.reason)} (${value.source})`
                  : tokens.of(value);
              signals.push(
                `sleep ${step.id} threw ${name(error)}, its signal.reason is ${name(reason)}`,
              );
            }
            throw error;
          }
        } else {
          try {
            await execScope(step.scope, scope);
          } catch (error) {
            if (!(step.swallow && (CancelledError.is(error) || TimeoutError.is(error))))
              throw error;
          }
        }
      }
    };

    const execScope = async (node: ScopeNode, parent: Scope): Promise<unknown> => {
      const clock = parent.clock;
      const opened = clock.now();
      let inner: Scope | undefined;
      const body = async (scope: Scope): Promise<unknown> => {
        inner = scope;
        if (node.shield && node.kind !== "cancelScope") scope.shield = true;
        // Hand the signal out at once, as code passing the scope to `fetch` would.
        scope.signal.addEventListener("abort", noop);
        const reason = tokens.add({ reason: node.id }, `reason:${node.id}`);
        const timers: TimerHandle[] = [];
        if (node.cancel === "now") scope.cancel(reason);
        else if (node.cancel !== null)
          timers.push(clock.setTimer(opened + node.cancel, () => scope.cancel(reason)));
        const reschedule = node.reschedule;
        if (reschedule !== null) {
          const deadline =
            reschedule.timeout === null ? Number.POSITIVE_INFINITY : opened + reschedule.timeout;
          timers.push(
            clock.setTimer(opened + reschedule.at, () => {
              scope.deadline = deadline;
            }),
          );
        }
        const toggle = node.toggle;
        if (toggle !== null) {
          timers.push(
            clock.setTimer(opened + toggle.at, () => {
              scope.shield = toggle.shield;
            }),
          );
        }
        try {
          await execSteps(node.steps, scope);
          return tokens.add({ body: node.id }, `body:${node.id}`);
        } finally {
          for (const timer of timers) timer.cancel();
          scope.signal.removeEventListener("abort", noop);
        }
      };
      const timeout = node.timeout ?? Number.POSITIVE_INFINITY;
      const deadline = opened + timeout;
      let promise: Promise<unknown>;
      if (node.kind === "cancelScope") {
        const options = node.relative
          ? { timeout, shield: node.shield }
          : { deadline, shield: node.shield };
        promise = cancelScope(
          parent,
          body,
          node.timeout === null ? { shield: node.shield } : options,
        );
      } else if (node.kind === "moveOn") {
        promise = node.relative
          ? moveOnAfter(parent, timeout, body)
          : moveOnAt(parent, deadline, body);
      } else
        promise = node.relative ? failAfter(parent, timeout, body) : failAt(parent, deadline, body);
      let outcome: Outcome<unknown> = { ok: "pending" };
      try {
        const value = await promise;
        outcome = { ok: tokens.of(value) };
        return value;
      } catch (error) {
        if (TimeoutError.is(error) && !tokens.has(error)) tokens.add(error, `timeout:${node.id}`);
        outcome = { error };
        throw error;
      } finally {
        timeline.scopes[node.id] = {
          opened,
          settled: clock.now(),
          outcome,
          cancelCalled: inner?.cancelCalled ?? false,
          cancelledCaught: inner?.cancelledCaught ?? false,
          cancelled: inner?.cancelled ?? false,
        };
      }
    };

    let runClock: TestClock | undefined;
    timeline.run = await fakeTime(async (context) => {
      runClock = context.clock;
      await execSteps(steps, context.scope);
      return tokens.add({ root: true }, "root");
    }).then(
      (value): Outcome<unknown> => ({ ok: tokens.of(value) }),
      (error: unknown): Outcome<unknown> => {
        // A run that nothing is left to wake fails every property, not only the ones on outcomes.
        if (DeadlockError.is(error)) throw error;
        return { error };
      },
    );
    await macrotask();
    await macrotask();
    // The harness moves time no more once the run has settled: what is pending now was leaked.
    const pending = runClock?.pending ?? Number.NaN;
    return { timeline: normalize(timeline, tokens.describe), signals, pending, unhandled };
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
}

type NormalRecord = ScopeRecord<NormalError>;

function pick<K extends keyof NormalRecord>(
  timeline: Timeline<NormalError>,
  keys: K[],
): Record<string, Pick<NormalRecord, K>> {
  return Object.fromEntries(
    Object.entries(timeline.scopes).map(([id, record]) => [
      id,
      Object.fromEntries(keys.map((key) => [key, record[key]])) as Pick<NormalRecord, K>,
    ]),
  );
}

describe("cancelScope, moveOnAt, moveOnAfter, failAt, failAfter", () => {
  it.prop([stepsArb], { numRuns: NUM_RUNS })(
    "lets the outermost cancelled scope visible from the cancellation absorb it",
    async (spec) => {
      const steps = number(spec);
      const observed = (await execute(steps)).timeline;
      const predicted = simulate(steps);
      expect({
        run: observed.run,
        scopes: pick(observed, ["outcome"]),
        sleeps: observed.sleeps,
      }).toEqual({
        run: predicted.run,
        scopes: pick(predicted, ["outcome"]),
        sleeps: predicted.sleeps,
      });
    },
  );

  it.prop([stepsArb], { numRuns: NUM_RUNS })(
    "reports cancelCalled, cancelledCaught and cancelled as the reference model predicts",
    async (spec) => {
      const steps = number(spec);
      const observed = (await execute(steps)).timeline;
      const keys: (keyof NormalRecord)[] = ["cancelCalled", "cancelledCaught", "cancelled"];
      expect(pick(observed, keys)).toEqual(pick(simulate(steps), keys));
    },
  );

  it.prop([stepsArb], { numRuns: NUM_RUNS })(
    "settles each scope at the virtual time the reference model predicts",
    async (spec) => {
      const steps = number(spec);
      const observed = (await execute(steps)).timeline;
      expect(pick(observed, ["opened", "settled"])).toEqual(
        pick(simulate(steps), ["opened", "settled"]),
      );
    },
  );

  it.prop([tiedStepsArb], { numRuns: NUM_RUNS })(
    "lets a deadline win over a wake-up due at the same instant",
    async (spec) => {
      const steps = number(spec);
      expect((await execute(steps)).timeline).toEqual(simulate(steps));
    },
  );

  it.prop([stepsArb], { numRuns: NUM_RUNS, examples: [[liftedByShield]] })(
    "aborts each scope's signal with the CancelledError its operations throw",
    async (spec) => {
      expect((await execute(number(spec))).signals).toEqual([]);
    },
  );

  it.prop([stepsArb], { numRuns: NUM_RUNS })(
    "leaves no timer pending and raises no unhandled rejection",
    async (spec) => {
      const observed = await execute(number(spec));
      expect(observed.pending).toBe(0);
      expect(observed.unhandled).toEqual([]);
    },
  );
});
