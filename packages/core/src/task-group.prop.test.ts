import { it } from "@fast-check/vitest";
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
import { timerSleep } from "./model-clock.test-support.ts";
import { simulate } from "./task-group-model.test-support.ts";
import {
  type ChildNode,
  type Delay,
  type GroupNode,
  groupArb,
  type NormalError,
  type NormalOutcome,
  NUM_RUNS,
  number,
  type Timeline,
  type Token,
  throwFlavour,
  thrownToken,
} from "./task-group-spec.test-support.ts";

// Random trees of task groups run for real on a VirtualClock and compared with the reference
// model: the specs and their arbitraries are in task-group-spec.test-support.ts, the model in
// task-group-model.test-support.ts.

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
