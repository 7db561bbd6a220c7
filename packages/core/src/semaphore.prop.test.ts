import { fc, it } from "@fast-check/vitest";
import { fakeTime } from "@weft/testing";
import { describe, expect } from "vitest";
import { Semaphore, taskGroup } from "./index.ts";
import { macrotask } from "./internal/macrotask.ts";
import {
  cancelWaiter,
  type ModelWaiter,
  type RealWaiters,
  raceDeadline,
  startWaiter,
  takeScopeWaiter,
} from "./waiters.test-support.ts";

// Model-based test: random sequences of acquire (through a scope or a plain signal), release,
// extra release (asyncio's semaphore may grow), tryAcquire, cancellation of a waiter, and a release
// racing a waiter's deadline due at the same instant (the deadline wins), run against
// a Semaphore and against a reference model: a counter and a FIFO line served strictly in order
// (a heavy head is never overtaken). After every step, once all microtasks have run, the grants
// (in order), the free permits and the line length must agree, so no permit is ever lost,
// duplicated or handed to a cancelled waiter.
//
// Each case runs under `fakeTime`; every acquire through a scope is a task of its own. Time moves
// only by hand (the commands await real turns, so the harness never finds every task blocked):
// the release racing a deadline is modelled at one exact instant.

interface Model {
  value: number;
  /** The most permits ever free at once: bounds the weight of an acquire. */
  peak: number;
  line: (ModelWaiter & { weight: number })[];
  held: Map<number, number>;
  grants: number[];
  nextId: number;
}

interface Real extends RealWaiters {
  semaphore: Semaphore;
  grants: number[];
  held: Map<number, number>;
}

function pump(model: Model): void {
  for (
    let head = model.line[0];
    head !== undefined && head.weight <= model.value;
    head = model.line[0]
  ) {
    model.line.shift();
    model.value -= head.weight;
    model.held.set(head.id, head.weight);
    model.grants.push(head.id);
  }
}

async function check(model: Model, real: Real): Promise<void> {
  await macrotask();
  expect(real.grants).toEqual(model.grants);
  expect(real.semaphore.value).toBe(model.value);
  expect(real.semaphore.waiting).toBe(model.line.length);
  expect([...real.held.entries()]).toEqual([...model.held.entries()]);
}

class Acquire implements fc.AsyncCommand<Model, Real> {
  readonly weight: number;
  readonly viaScope: boolean;
  constructor(weight: number, viaScope: boolean) {
    this.weight = weight;
    this.viaScope = viaScope;
  }
  check(model: Model): boolean {
    return this.weight <= Math.max(1, model.peak);
  }
  async run(model: Model, real: Real): Promise<void> {
    const id = model.nextId++;
    model.line.push({ id, weight: this.weight, viaScope: this.viaScope });
    pump(model);
    startWaiter(
      real,
      id,
      this.viaScope,
      (options) => real.semaphore.acquire(options, this.weight),
      () => {
        real.grants.push(id);
        real.held.set(id, this.weight);
      },
    );
    await check(model, real);
  }
  toString(): string {
    return `acquire(${this.weight}, ${this.viaScope ? "scope" : "signal"})`;
  }
}

class Release implements fc.AsyncCommand<Model, Real> {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check(model: Model): boolean {
    return model.held.size > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const ids = [...model.held.keys()];
    const id = ids[this.pick % ids.length] as number;
    const weight = model.held.get(id) as number;
    model.held.delete(id);
    model.value += weight;
    model.peak = Math.max(model.peak, model.value);
    pump(model);
    real.held.delete(id);
    real.semaphore.release(weight);
    await check(model, real);
  }
  toString(): string {
    return `release(#${this.pick})`;
  }
}

class ExtraRelease implements fc.AsyncCommand<Model, Real> {
  readonly weight: number;
  constructor(weight: number) {
    this.weight = weight;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    model.value += this.weight;
    model.peak = Math.max(model.peak, model.value);
    pump(model);
    real.semaphore.release(this.weight);
    await check(model, real);
  }
  toString(): string {
    return `extraRelease(${this.weight})`;
  }
}

class TryAcquire implements fc.AsyncCommand<Model, Real> {
  readonly weight: number;
  constructor(weight: number) {
    this.weight = weight;
  }
  check(model: Model): boolean {
    return this.weight <= Math.max(1, model.peak);
  }
  async run(model: Model, real: Real): Promise<void> {
    const expected = model.line.length === 0 && model.value >= this.weight;
    const id = model.nextId++;
    if (expected) {
      model.value -= this.weight;
      model.held.set(id, this.weight);
      model.grants.push(id);
    }
    const got = real.semaphore.tryAcquire(this.weight);
    expect(got).toBe(expected);
    if (got) {
      real.grants.push(id);
      real.held.set(id, this.weight);
    }
    await check(model, real);
  }
  toString(): string {
    return `tryAcquire(${this.weight})`;
  }
}

class Cancel implements fc.AsyncCommand<Model, Real> {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check(model: Model): boolean {
    return model.line.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const index = this.pick % model.line.length;
    const { id } = model.line[index] as { id: number };
    model.line.splice(index, 1);
    pump(model);
    cancelWaiter(real, id);
    await check(model, real);
  }
  toString(): string {
    return `cancel(#${this.pick})`;
  }
}

class RaceRelease implements fc.AsyncCommand<Model, Real> {
  readonly holderPick: number;
  readonly waiterPick: number;
  constructor(holderPick: number, waiterPick: number) {
    this.holderPick = holderPick;
    this.waiterPick = waiterPick;
  }
  check(model: Model): boolean {
    return model.held.size > 0 && model.line.some((entry) => entry.viaScope);
  }
  async run(model: Model, real: Real): Promise<void> {
    const holders = [...model.held.keys()];
    const holder = holders[this.holderPick % holders.length] as number;
    const weight = model.held.get(holder) as number;
    // The deadline wins over the release due at the same instant: the waiter leaves first.
    const id = takeScopeWaiter(model.line, this.waiterPick);
    model.held.delete(holder);
    model.value += weight;
    model.peak = Math.max(model.peak, model.value);
    pump(model);
    await raceDeadline(real, id, () => {
      real.held.delete(holder);
      real.semaphore.release(weight);
    });
    await check(model, real);
  }
  toString(): string {
    return `raceRelease(#${this.holderPick}, #${this.waiterPick})`;
  }
}

const commands = fc.commands(
  [
    fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()).map(([w, s]) => new Acquire(w, s)),
    fc.nat(20).map((pick) => new Release(pick)),
    fc.integer({ min: 0, max: 2 }).map((w) => new ExtraRelease(w)),
    fc.integer({ min: 0, max: 3 }).map((w) => new TryAcquire(w)),
    fc.nat(20).map((pick) => new Cancel(pick)),
    fc.tuple(fc.nat(20), fc.nat(20)).map(([h, w]) => new RaceRelease(h, w)),
  ],
  { maxCommands: 40 },
);

describe("Semaphore", () => {
  it.prop([fc.integer({ min: 0, max: 4 }), commands], { numRuns: 200 })(
    "matches a FIFO counter model: never exceeds its permits, loses or duplicates none",
    async (initial, cmds) => {
      await fakeTime(({ clock, scope }) =>
        taskGroup(scope, async (group) => {
          const real: Real = {
            semaphore: new Semaphore(initial),
            group,
            clock,
            scopes: new Map(),
            grants: [],
            cancel: new Map(),
            held: new Map(),
          };
          const model: Model = {
            value: initial,
            peak: initial,
            line: [],
            held: new Map(),
            grants: [],
            nextId: 0,
          };
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          for (const cancel of real.cancel.values()) cancel();
          await macrotask();
          expect(real.semaphore.waiting).toBe(0);
        }),
      );
    },
  );
});
