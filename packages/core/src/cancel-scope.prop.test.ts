import { it } from "@fast-check/vitest";
import { DeadlockError, fakeTime, type TestClock } from "@weft/testing";
import { describe, expect } from "vitest";
import { simulate } from "./cancel-scope-model.test-support.ts";
import {
  type Describe,
  liftedByShield,
  type NormalError,
  NUM_RUNS,
  normalize,
  number,
  type Outcome,
  type ScopeNode,
  type ScopeRecord,
  type StepNode,
  stepsArb,
  type Timeline,
  type Token,
  tiedStepsArb,
} from "./cancel-scope-spec.test-support.ts";
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
import { timerSleep } from "./model-clock.test-support.ts";

// Random nests of cancel scopes run for real under the fake-time harness and compared with the
// reference model: the specs and their arbitraries are in cancel-scope-spec.test-support.ts, the
// model in cancel-scope-model.test-support.ts.

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
