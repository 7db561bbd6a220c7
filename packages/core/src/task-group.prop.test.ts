import { fc, it } from "@fast-check/vitest";
import { sleepForever, VirtualClock } from "@weft/timers";
import { describe, expect } from "vitest";
import {
  CancelledError,
  cancelScope,
  run,
  type Scope,
  type Task,
  type TaskGroup,
  TaskGroupError,
  taskGroup,
} from "./index.ts";
import { macrotask } from "./internal/macrotask.ts";
import { ModelClock, type ModelTimer, timerSleep } from "./model-clock.test-support.ts";

// Random trees of task groups, run on a VirtualClock and checked against a reference model.
//
// A group's body spawns its children, then returns (at once or after a sleep), throws after a
// sleep, or waits until cancelled. A child returns, throws a unique value or calls `group.cancel()`
// (synchronously, or after a sleep); or waits until cancelled; or sleeps and, when cancelled, cleans
// up in a shielded scope for a while and then throws a unique value, rethrows the cancellation or
// swallows it; or sleeps and then runs a nested group. Every sleep is a weft wait on the task's
// scope, so it is cancelled with the group. Whatever is still waiting when the clock runs dry is
// cancelled through `run`'s signal.
//
// The model is a discrete-event simulation of the contract: timers fire by due time, ties in
// registration order, one at a time, everything they cause settling before the next one; children
// start in spawn order after the body's synchronous part; the first failure cancels the group;
// cancellations are never errors of their own group; a group absorbs only its own cancellation.
// Tasks woken by one cancellation resume in the order of the scope tree (depth first, in spawn
// order), so cleanups that start together register their timers in that order.

const NUM_RUNS = 200;

// ---------------------------------------------------------------------------------------------
// Specs

type Delay = number | null; // null: synchronously, without awaiting anything
type LeafSpec =
  | { kind: "return"; delay: Delay }
  | { kind: "throw"; delay: Delay }
  | { kind: "cancel"; delay: Delay }
  | { kind: "wait" }
  | {
      kind: "cleanup";
      delay: number | "forever";
      cleanup: number;
      after: "throw" | "rethrow" | "return";
    };
type ChildSpec = LeafSpec | { kind: "group"; delay: number; group: GroupSpec };
type BodySpec =
  | { kind: "return"; delay: Delay }
  | { kind: "throw"; delay: number }
  | { kind: "wait" };
interface GroupSpec {
  body: BodySpec;
  children: ChildSpec[];
}

type ChildNode =
  | (LeafSpec & { id: number })
  | { kind: "group"; id: number; delay: number; group: GroupNode };
interface GroupNode {
  id: number;
  body: BodySpec;
  children: ChildNode[];
}

/** Numbers groups and children in one id space, pre-order (the spec itself is never mutated). */
function number(spec: GroupSpec): GroupNode {
  let next = 0;
  const group = (g: GroupSpec): GroupNode => {
    const id = next++;
    const children = g.children.map((c): ChildNode => {
      if (c.kind === "group") {
        const childId = next++;
        return { kind: "group", id: childId, delay: c.delay, group: group(c.group) };
      }
      return { ...c, id: next++ };
    });
    return { id, body: g.body, children };
  };
  return group(spec);
}

const delayArb = fc.integer({ min: 0, max: 6 });
const maybeDelayArb: fc.Arbitrary<Delay> = fc.option(delayArb, { nil: null, freq: 4 });
const leafArb: fc.Arbitrary<LeafSpec> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant("return" as const), delay: maybeDelayArb }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("throw" as const), delay: maybeDelayArb }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("cancel" as const), delay: maybeDelayArb }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant("wait" as const) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("cleanup" as const),
      delay: fc.oneof(delayArb, fc.constant("forever" as const)),
      cleanup: delayArb,
      after: fc.constantFrom("throw" as const, "rethrow" as const, "return" as const),
    }),
    weight: 2,
  },
);
const bodyArb: fc.Arbitrary<BodySpec> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant("return" as const), delay: maybeDelayArb }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant("throw" as const), delay: delayArb }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("wait" as const) }), weight: 1 },
);
const { group: groupArb } = fc.letrec<{ group: GroupSpec; child: ChildSpec }>((tie) => ({
  group: fc.record({ body: bodyArb, children: fc.array(tie("child"), { maxLength: 6 }) }),
  child: fc.oneof(
    { maxDepth: 4, depthIdentifier: "task-group-tree" },
    { arbitrary: leafArb, weight: 3 },
    {
      arbitrary: fc.record({
        kind: fc.constant("group" as const),
        delay: delayArb,
        group: tie("group"),
      }),
      weight: 2,
    },
  ),
}));

// ---------------------------------------------------------------------------------------------
// Normal form shared by the model and the observation. Values are compared through tokens that
// are handed out by identity, so equal tokens mean the very same thrown value or error object.

type Token = string;
type NormalError =
  | Token
  | { taskGroupError: Token; count: number; errors: NormalError[] }
  | { cancelled: string; reason: Token; duplicate?: true };
type NormalOutcome = { ok: Token } | { error: NormalError };

interface Timeline {
  /** Per opened group: when it settled and how. */
  groups: Record<string, { time: number; outcome: NormalOutcome }>;
  /** Per started child: when it finished and how. */
  tasks: Record<string, { time: number; outcome: NormalOutcome }>;
  run: NormalOutcome;
}

/** What a child with id `id` of kind "throw" (or a body) throws: every JavaScript kind of value. */
function throwFlavour(id: number): "error" | "object" | "string" | "number" | "undefined" {
  const flavours = ["error", "object", "string", "number", "error", "undefined"] as const;
  return flavours[id % flavours.length] ?? "error";
}

function thrownToken(id: number): Token {
  return throwFlavour(id) === "undefined" ? "undefined" : `throw:${id}`;
}

// ---------------------------------------------------------------------------------------------
// Reference model

interface MCancel {
  source: "failure" | "explicit" | "signal";
  reason: Token;
  origin: MScope;
}
type MError =
  | { kind: "value"; token: Token }
  | { kind: "tge"; group: number; errors: MError[] }
  | { kind: "cancel"; cancel: MCancel };
type MOutcome = { ok: true; value: Token } | { ok: false; error: MError };

class MScope {
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

type MTimer = ModelTimer;

interface MWaiter {
  timer: MTimer | undefined;
  wake(cancel: MCancel): void;
}

interface MGroup {
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

function reasonToken(error: MError): Token {
  if (error.kind === "value") return error.token;
  if (error.kind === "tge") return `tge:${error.group}`;
  return "unexpected cancellation as a reason";
}

function normalizeModel(error: MError): NormalError {
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

function normalizeModelOutcome(outcome: MOutcome): NormalOutcome {
  return outcome.ok ? { ok: outcome.value } : { error: normalizeModel(outcome.error) };
}

class Model extends ModelClock {
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

function simulate(root: GroupNode): Timeline {
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

// ---------------------------------------------------------------------------------------------
// The real thing
//
// It runs on `run` with a VirtualClock rather than under `fakeTime`: the contract modelled here
// cancels whatever is still waiting once the clock has run dry through `run`'s external signal
// (source "signal"), where the harness would stop with a DeadlockError instead.

/** Hands out tokens by identity and renders thrown values and errors in normal form. */
class Tokens {
  readonly #tokens = new Map<unknown, Token>([[undefined, "undefined"]]);
  readonly #cancellations = new Map<string, unknown>();

  add<T>(value: T, token: Token): T {
    this.#tokens.set(value, token);
    return value;
  }

  of(value: unknown): Token {
    return this.#tokens.get(value) ?? `unknown ${String(value)}`;
  }

  error(error: unknown): NormalError {
    if (TaskGroupError.is(error)) {
      return {
        taskGroupError: this.of(error),
        count: Number.parseInt(error.message, 10),
        errors: (error.errors as unknown[]).map((each) => this.error(each)),
      };
    }
    if (CancelledError.is(error)) {
      const normal: NormalError = { cancelled: error.source, reason: this.of(error.reason) };
      // One cancellation, one instance: every scope it reaches throws the same CancelledError.
      const key = `${normal.cancelled} ${normal.reason}`;
      const seen = this.#cancellations.get(key);
      if (seen === undefined || normal.reason === "undefined") this.#cancellations.set(key, error);
      else if (seen !== error) normal.duplicate = true;
      return normal;
    }
    return this.of(error);
  }

  outcome(settled: PromiseSettledResult<unknown>): NormalOutcome {
    return settled.status === "fulfilled"
      ? { ok: this.of(settled.value) }
      : { error: this.error(settled.reason) };
  }
}

interface Observation {
  timeline: Timeline;
  /** Children that had not finished when their group settled; groups that never settled. */
  outlived: string[];
  /** Timers pending on the clock when `run` settled, or after the clock ran dry. */
  pending: number;
  unhandled: unknown[];
}

async function execute(root: GroupNode): Promise<Observation> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on("unhandledRejection", onUnhandled);
  try {
    const clock = new VirtualClock();
    const tokens = new Tokens();
    const thrown = new Map<number, unknown>();
    const thrownValue = (id: number): unknown => {
      if (!thrown.has(id)) {
        const flavour = throwFlavour(id);
        const value =
          flavour === "error"
            ? new Error(`child ${id} failed`)
            : flavour === "object"
              ? { thrown: id }
              : flavour === "string"
                ? `thrown ${id}`
                : flavour === "number"
                  ? -1 - id
                  : undefined;
        thrown.set(id, tokens.add(value, thrownToken(id)));
      }
      return thrown.get(id);
    };
    const abortReason = tokens.add({ abort: true }, "abort");
    let order = 0;
    const finished = new Map<number, { time: number; order: number }>();
    const groups = new Map<
      number,
      { time: number; order: number; settled: PromiseSettledResult<unknown> }
    >();
    const tasks = new Map<number, Task<unknown>>();
    const outlived: string[] = [];
    const opened: number[] = [];

    const openGroup = (parent: Scope, node: GroupNode): Promise<unknown> => {
      opened.push(node.id);
      const spawned: Task<unknown>[] = [];
      const settle = (settled: PromiseSettledResult<unknown>): void => {
        const settledOrder = order++;
        groups.set(node.id, { time: clock.now(), order: settledOrder, settled });
        if (settled.status === "rejected" && TaskGroupError.is(settled.reason))
          tokens.add(settled.reason, `tge:${node.id}`);
        for (const task of spawned) {
          const id = Number(task.name.slice("child ".length));
          const end = finished.get(id);
          if (!task.done || end === undefined || end.order > settledOrder)
            outlived.push(`${task.name} of group ${node.id}`);
        }
      };
      return taskGroup(parent, async (group) => {
        for (const child of node.children) {
          const task = group.spawn((scope) => runChild(scope, group, child), {
            name: `child ${child.id}`,
          });
          spawned.push(task);
          tasks.set(child.id, task);
        }
        const body = node.body;
        if (body.kind === "wait") await sleepForever(group.scope);
        else if (body.kind === "throw") {
          await timerSleep(group.scope, body.delay);
          throw thrownValue(node.id);
        } else if (body.delay !== null) await timerSleep(group.scope, body.delay);
        return tokens.add({ body: node.id }, `body:${node.id}`);
      }).then(
        (value) => {
          settle({ status: "fulfilled", value });
          return value;
        },
        (error: unknown) => {
          settle({ status: "rejected", reason: error });
          throw error;
        },
      );
    };

    const runChild = (scope: Scope, group: TaskGroup, child: ChildNode): unknown => {
      const finish = (): void => {
        finished.set(child.id, { time: clock.now(), order: order++ });
      };
      const now = (action: () => unknown): unknown => {
        finish();
        return action();
      };
      const later = async (delay: number | "forever", action: () => unknown): Promise<unknown> => {
        try {
          await (delay === "forever" ? sleepForever(scope) : timerSleep(scope, delay));
          return await action();
        } finally {
          finish();
        }
      };
      const act = (delay: Delay, action: () => unknown): unknown =>
        delay === null ? now(action) : later(delay, action);
      const returned = (): unknown => tokens.add({ returned: child.id }, `ret:${child.id}`);
      switch (child.kind) {
        case "return":
          return act(child.delay, returned);
        case "throw":
          return act(child.delay, () => {
            throw thrownValue(child.id);
          });
        case "cancel":
          return act(child.delay, () => {
            group.cancel(tokens.add({ reason: child.id }, `reason:${child.id}`));
            return returned();
          });
        case "wait":
          return later("forever", returned);
        case "cleanup": {
          const { delay, cleanup, after } = child;
          return (async () => {
            try {
              await (delay === "forever" ? sleepForever(scope) : timerSleep(scope, delay));
            } catch (error) {
              if (!CancelledError.is(error)) throw error;
              await cancelScope(scope, (shielded) => timerSleep(shielded, cleanup), {
                shield: true,
              });
              if (after === "throw") throw thrownValue(child.id);
              if (after === "rethrow") throw error;
            } finally {
              finish();
            }
            return returned();
          })();
        }
        case "group":
          return later(child.delay, () => openGroup(scope, child.group));
      }
    };

    const controller = new AbortController();
    // Timers still pending when `run` settles were leaked by the run.
    let pending = Number.NaN;
    const result = run((scope) => openGroup(scope, root), {
      clock,
      signal: controller.signal,
    }).then(
      (value): PromiseSettledResult<unknown> => {
        pending = clock.pending;
        return { status: "fulfilled", value };
      },
      (reason: unknown): PromiseSettledResult<unknown> => {
        pending = clock.pending;
        return { status: "rejected", reason };
      },
    );
    await clock.runAll();
    controller.abort(abortReason);
    await clock.runAll();
    await macrotask();
    await macrotask();
    if (Number.isNaN(pending)) throw new Error("run() did not settle: nothing left to wake it");
    const settled = await result;

    const timeline: Timeline = { groups: {}, tasks: {}, run: tokens.outcome(settled) };
    for (const [id, group] of groups)
      timeline.groups[id] = { time: group.time, outcome: tokens.outcome(group.settled) };
    for (const [id, task] of tasks) {
      const [outcome] = await Promise.allSettled([task.result]);
      timeline.tasks[id] = {
        time: finished.get(id)?.time ?? Number.NaN,
        outcome: tokens.outcome(outcome as PromiseSettledResult<unknown>),
      };
    }
    for (const id of opened) if (!groups.has(id)) outlived.push(`group ${id} never settled`);
    return { timeline, outlived, pending: Math.max(pending, clock.pending), unhandled };
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
}

function outcomes(timeline: Timeline): unknown {
  const pick = (entries: Timeline["groups"]) =>
    Object.fromEntries(Object.entries(entries).map(([id, entry]) => [id, entry.outcome]));
  return { run: timeline.run, groups: pick(timeline.groups), tasks: pick(timeline.tasks) };
}

function times(timeline: Timeline): unknown {
  const pick = (entries: Timeline["groups"]) =>
    Object.fromEntries(Object.entries(entries).map(([id, entry]) => [id, entry.time]));
  return { groups: pick(timeline.groups), tasks: pick(timeline.tasks) };
}

describe("taskGroup", () => {
  it.prop([groupArb], { numRuns: NUM_RUNS })(
    "throws a TaskGroupError holding exactly the thrown values, identity kept, in completion order",
    async (spec) => {
      const root = number(spec);
      const observed = await execute(root);
      expect(outcomes(observed.timeline)).toEqual(outcomes(simulate(root)));
    },
  );

  it.prop([groupArb], { numRuns: NUM_RUNS })(
    "settles every child before the group settles",
    async (spec) => {
      const observed = await execute(number(spec));
      expect(observed.outlived).toEqual([]);
    },
  );

  it.prop([groupArb], { numRuns: NUM_RUNS })(
    "settles each group and child at the virtual time the reference model predicts",
    async (spec) => {
      const root = number(spec);
      const observed = await execute(root);
      expect(times(observed.timeline)).toEqual(times(simulate(root)));
    },
  );

  it.prop([groupArb], { numRuns: NUM_RUNS })(
    "leaves no timer pending and raises no unhandled rejection",
    async (spec) => {
      const observed = await execute(number(spec));
      expect(observed.pending).toBe(0);
      expect(observed.unhandled).toEqual([]);
    },
  );
});
