import { fc } from "@fast-check/vitest";

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

export const NUM_RUNS = 200;

// ---------------------------------------------------------------------------------------------
// Specs

export interface ScopeSpec {
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
export type StepSpec =
  | { kind: "sleep"; ms: number }
  | { kind: "scope"; swallow: boolean; scope: ScopeSpec };

export type ScopeNode = Omit<ScopeSpec, "steps"> & { id: number; steps: StepNode[] };
export type StepNode =
  | { kind: "sleep"; id: number; ms: number }
  | { kind: "scope"; swallow: boolean; scope: ScopeNode };

/** Numbers scopes and sleeps in one id space, pre-order (the spec itself is never mutated). */
export function number(steps: StepSpec[]): StepNode[] {
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
export function nestArb(maxTime: number): fc.Arbitrary<StepSpec[]> {
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

export const stepsArb = nestArb(8);

/**
 * A chain of scopes opened at the same instant around one sleep of `ms`, whose deadlines, cancels and
 * reschedulings fall at, just before or just after its wake-up: a deadline rescheduled while the
 * sleep runs lands behind the wake-up in the timer queue, and must still win over it.
 */
export const tiedStepsArb: fc.Arbitrary<StepSpec[]> = fc.integer({ min: 1, max: 4 }).chain((ms) => {
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
export const liftedByShield: StepSpec[] = (() => {
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

export type Token = string;
export type Outcome<E> = { ok: Token } | { error: E };
export type NormalError =
  | Token
  | { cancelled: Token; source: string; reason: Token }
  | { timeout: Token; cause: NormalError };

export interface ScopeRecord<E> {
  opened: number;
  settled: number;
  outcome: Outcome<E>;
  cancelCalled: boolean;
  cancelledCaught: boolean;
  cancelled: boolean;
}

export interface Timeline<E> {
  scopes: Record<string, ScopeRecord<E>>;
  /** `{ ok: "slept" }` or what the sleep threw. */
  sleeps: Record<string, { time: number; outcome: Outcome<E> }>;
  run: Outcome<E>;
}

export type Describe<E> = (error: E, label: (cancellation: unknown) => Token) => NormalError;

export function normalize<E>(timeline: Timeline<E>, describe: Describe<E>): Timeline<NormalError> {
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
