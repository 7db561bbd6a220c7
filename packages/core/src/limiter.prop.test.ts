import { fc, it } from "@fast-check/vitest";
import { fakeTime, waitAllTasksBlocked } from "@weft/testing";
import { sleepUntil } from "@weft/timers";
import { describe, expect } from "vitest";
import { cancelScope, Limiter, type Scope, suspend, taskGroup } from "./index.ts";

// Two properties of Limiter.
//
// 1. Model-based: random sequences of calls (random priority and weight), finishing or cancelling
//    a queued or running call, and changes of `concurrency`, against a reference model: a queue
//    ordered by priority then arrival, admitting its head while it fits (or while nothing runs).
//    After every step the start order, `size` and `active` agree, and no call ever started while
//    the weight already running left no room for it under `concurrency` (except when it runs
//    alone: a call heavier than a lowered concurrency still runs, by itself).
// 2. Timing, under fakeTime: calls arriving at random times with random durations under a
//    random concurrency and sliding-window rate start exactly when the closed-form schedule says:
//    s[i] = max(arrival, previous start, the C-th latest end so far, s[i - limit] + interval).

interface Queued {
  id: number;
  priority: number;
  weight: number;
}

interface Model {
  concurrency: number;
  queue: Queued[];
  running: Map<number, number>;
  starts: number[];
  nextId: number;
}

interface Real {
  limiter: Limiter;
  root: Scope;
  starts: number[];
  finish: Map<number, () => void>;
  scopes: Map<number, Scope>;
  /** The weights of the calls whose `fn` is running. */
  running: Map<number, number>;
  /** Starts that found the running weight already too high for them. */
  overruns: number;
}

function pump(model: Model): void {
  for (;;) {
    let head: Queued | undefined;
    for (const call of model.queue)
      if (head === undefined || call.priority > head.priority) head = call;
    if (head === undefined) return;
    let weight = 0;
    for (const w of model.running.values()) weight += w;
    if (!(weight + head.weight <= model.concurrency || model.running.size === 0)) return;
    model.queue.splice(model.queue.indexOf(head), 1);
    model.running.set(head.id, head.weight);
    model.starts.push(head.id);
  }
}

async function check(model: Model, real: Real): Promise<void> {
  await waitAllTasksBlocked(real.root);
  expect(real.starts).toEqual(model.starts);
  expect(real.limiter.size).toBe(model.queue.length);
  expect(real.limiter.active).toBe(model.running.size);
  expect(real.overruns).toBe(0);
}

class Call implements fc.AsyncCommand<Model, Real> {
  readonly priority: number;
  readonly weight: number;
  constructor(priority: number, weight: number) {
    this.priority = priority;
    this.weight = weight;
  }
  check(model: Model): boolean {
    return this.weight <= model.concurrency;
  }
  async run(model: Model, real: Real): Promise<void> {
    const id = model.nextId++;
    model.queue.push({ id, priority: this.priority, weight: this.weight });
    pump(model);
    const body = (scope: Scope): Promise<void> => {
      let running = 0;
      for (const w of real.running.values()) running += w;
      if (!(running + this.weight <= real.limiter.concurrency || real.running.size === 0)) {
        real.overruns++;
      }
      real.running.set(id, this.weight);
      return suspend<void>(scope, "job", (waiter) => {
        real.starts.push(id);
        real.finish.set(id, () => waiter.resolve());
      }).finally(() => real.running.delete(id));
    };
    void cancelScope(real.root, (scope) => {
      real.scopes.set(id, scope);
      return real.limiter.run(scope, body, { priority: this.priority, weight: this.weight });
    });
    await check(model, real);
  }
  toString(): string {
    return `call(priority ${this.priority}, weight ${this.weight})`;
  }
}

class Finish implements fc.AsyncCommand<Model, Real> {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check(model: Model): boolean {
    return model.running.size > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const ids = [...model.running.keys()];
    const id = ids[this.pick % ids.length] as number;
    model.running.delete(id);
    pump(model);
    real.finish.get(id)?.();
    await check(model, real);
  }
  toString(): string {
    return `finish(#${this.pick})`;
  }
}

class Cancel implements fc.AsyncCommand<Model, Real> {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check(model: Model): boolean {
    return model.running.size + model.queue.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const ids = [...model.running.keys(), ...model.queue.map((call) => call.id)];
    const id = ids[this.pick % ids.length] as number;
    if (model.running.has(id)) model.running.delete(id);
    else
      model.queue.splice(
        model.queue.findIndex((call) => call.id === id),
        1,
      );
    pump(model);
    real.scopes.get(id)?.cancel();
    // A queued call leaves the queue synchronously, and the calls its leaving lets in are admitted
    // at once too (they start on the next microtask): the queue already matches the model's.
    if (!model.starts.includes(id)) expect(real.limiter.size).toBe(model.queue.length);
    await check(model, real);
  }
  toString(): string {
    return `cancel(#${this.pick})`;
  }
}

class Resize implements fc.AsyncCommand<Model, Real> {
  readonly concurrency: number;
  constructor(concurrency: number) {
    this.concurrency = concurrency;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    model.concurrency = this.concurrency;
    pump(model);
    real.limiter.concurrency = this.concurrency;
    // Raising concurrency admits queued calls synchronously.
    expect(real.limiter.active).toBe(model.running.size);
    await check(model, real);
  }
  toString(): string {
    return `concurrency = ${this.concurrency}`;
  }
}

const commands = fc.commands(
  [
    fc
      .tuple(fc.integer({ min: -1, max: 1 }), fc.integer({ min: 0, max: 3 }))
      .map(([priority, weight]) => new Call(priority, weight)),
    fc.nat(20).map((pick) => new Finish(pick)),
    fc.nat(20).map((pick) => new Cancel(pick)),
    fc.integer({ min: 1, max: 4 }).map((concurrency) => new Resize(concurrency)),
  ],
  { maxCommands: 50 },
);

/** When each call starts, from the closed-form FIFO schedule. */
function schedule(
  jobs: { arrival: number; duration: number }[],
  concurrency: number,
  rate: { limit: number; interval: number },
): number[] {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [i, job] of jobs.entries()) {
    let start = Math.max(job.arrival, starts[i - 1] ?? 0);
    if (i >= concurrency)
      start = Math.max(start, [...ends].sort((a, b) => b - a)[concurrency - 1] as number);
    if (i >= rate.limit)
      start = Math.max(start, (starts[i - rate.limit] as number) + rate.interval);
    starts.push(start);
    ends.push(start + job.duration);
  }
  return starts;
}

describe("Limiter", () => {
  it.prop([fc.integer({ min: 1, max: 4 }), commands], { numRuns: 200 })(
    "matches a priority-queue model under calls, finishes, cancellations and resizes",
    async (concurrency, cmds) => {
      await fakeTime(async ({ scope: root }) => {
        const real: Real = {
          limiter: new Limiter({ concurrency }),
          root,
          starts: [],
          finish: new Map(),
          scopes: new Map(),
          running: new Map(),
          overruns: 0,
        };
        const model: Model = {
          concurrency,
          queue: [],
          running: new Map(),
          starts: [],
          nextId: 0,
        };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        for (const scope of real.scopes.values()) scope.cancel();
        await real.limiter.onIdle(root);
        expect([real.limiter.size, real.limiter.active]).toEqual([0, 0]);
      });
    },
  );

  const jobs = fc.array(fc.record({ arrival: fc.nat(60), duration: fc.nat(40) }), {
    maxLength: 25,
  });
  it.prop(
    [
      jobs.map((list) => list.sort((a, b) => a.arrival - b.arrival)),
      fc.integer({ min: 1, max: 4 }),
      fc.record({
        limit: fc.integer({ min: 1, max: 3 }),
        interval: fc.integer({ min: 1, max: 40 }),
      }),
    ],
    { numRuns: 200 },
  )(
    "starts every call exactly when concurrency and the sliding-window rate allow, in order",
    async (list, concurrency, rate) => {
      const limiter = new Limiter({ concurrency, rate });
      const starts: number[] = [];
      const pending = await fakeTime(async ({ clock, scope }) => {
        await taskGroup(scope, async (group) => {
          for (const [i, job] of list.entries()) {
            group.spawn(async (s) => {
              await sleepUntil(job.arrival, s);
              await limiter.run(s, async (inner) => {
                starts[i] = clock.now();
                await sleepUntil(clock.now() + job.duration, inner);
              });
            });
          }
        });
        return clock.pending;
      });
      expect(starts).toEqual(schedule(list, concurrency, rate));
      expect(pending).toBe(0);
    },
  );
});
