import { fc, it } from "@fast-check/vitest";
import { fakeTime } from "@weft/testing";
import { describe, expect } from "vitest";
import { Lock, taskGroup } from "./index.ts";
import { macrotask } from "./internal/macrotask.ts";
import {
  cancelWaiter,
  type ModelWaiter,
  type RealWaiters,
  raceDeadline,
  startWaiter,
  takeScopeWaiter,
} from "./waiters.test-support.ts";

// Model-based test: random sequences of acquire (through a scope or a plain signal), release by the
// holder, tryAcquire, cancellation of a waiter, and a release racing a waiter's deadline due at the
// same instant (the deadline wins), run against a Lock and a reference model: one holder at most,
// waiters served in arrival order, a cancelled waiter never holds the lock and never strands it.
//
// Each case runs under `fakeTime`; every acquire through a scope is a task of its own. Time moves
// only by hand (the commands await real turns, so the harness never finds every task blocked):
// the release racing a deadline is modelled at one exact instant.

interface Model {
  holder: number | undefined;
  line: ModelWaiter[];
  grants: number[];
  nextId: number;
}

interface Real extends RealWaiters {
  lock: Lock;
  grants: number[];
  holders: number;
}

/** The lock was released: the longest waiter gets it. */
function handOver(model: Model): void {
  const next = model.line.shift();
  model.holder = next?.id;
  if (next !== undefined) model.grants.push(next.id);
}

async function check(model: Model, real: Real): Promise<void> {
  await macrotask();
  expect(real.grants).toEqual(model.grants);
  expect(real.lock.locked).toBe(model.holder !== undefined);
  expect(real.lock.waiting).toBe(model.line.length);
  expect(real.holders).toBe(model.holder === undefined ? 0 : 1);
}

class Acquire implements fc.AsyncCommand<Model, Real> {
  readonly viaScope: boolean;
  constructor(viaScope: boolean) {
    this.viaScope = viaScope;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const id = model.nextId++;
    if (model.holder === undefined) {
      model.holder = id;
      model.grants.push(id);
    } else model.line.push({ id, viaScope: this.viaScope });
    startWaiter(
      real,
      id,
      this.viaScope,
      (options) => real.lock.acquire(options),
      () => {
        real.grants.push(id);
        real.holders++;
      },
    );
    await check(model, real);
  }
  toString(): string {
    return `acquire(${this.viaScope ? "scope" : "signal"})`;
  }
}

class Release implements fc.AsyncCommand<Model, Real> {
  check(model: Model): boolean {
    return model.holder !== undefined;
  }
  async run(model: Model, real: Real): Promise<void> {
    handOver(model);
    real.holders--;
    real.lock.release();
    await check(model, real);
  }
  toString(): string {
    return "release";
  }
}

class TryAcquire implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const id = model.nextId++;
    const expected = model.holder === undefined;
    if (expected) {
      model.holder = id;
      model.grants.push(id);
    }
    const got = real.lock.tryAcquire();
    expect(got).toBe(expected);
    if (got) {
      real.grants.push(id);
      real.holders++;
    }
    await check(model, real);
  }
  toString(): string {
    return "tryAcquire";
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
    const [entry] = model.line.splice(this.pick % model.line.length, 1);
    cancelWaiter(real, (entry as ModelWaiter).id);
    await check(model, real);
  }
  toString(): string {
    return `cancel(#${this.pick})`;
  }
}

class RaceRelease implements fc.AsyncCommand<Model, Real> {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check(model: Model): boolean {
    return model.holder !== undefined && model.line.some((entry) => entry.viaScope);
  }
  async run(model: Model, real: Real): Promise<void> {
    // The deadline wins over the release due at the same instant: the waiter leaves first.
    const id = takeScopeWaiter(model.line, this.pick);
    handOver(model);
    await raceDeadline(real, id, () => {
      real.holders--;
      real.lock.release();
    });
    await check(model, real);
  }
  toString(): string {
    return `raceRelease(#${this.pick})`;
  }
}

const commands = fc.commands(
  [
    fc.boolean().map((viaScope) => new Acquire(viaScope)),
    fc.constant(new Release()),
    fc.constant(new TryAcquire()),
    fc.nat(20).map((pick) => new Cancel(pick)),
    fc.nat(20).map((pick) => new RaceRelease(pick)),
  ],
  { maxCommands: 40 },
);

describe("Lock", () => {
  it.prop([commands], { numRuns: 200 })(
    "matches a FIFO mutex model: one holder at most, no waiter skipped or stranded",
    async (cmds) => {
      await fakeTime(({ clock, scope }) =>
        taskGroup(scope, async (group) => {
          const real: Real = {
            lock: new Lock(),
            group,
            clock,
            grants: [],
            holders: 0,
            cancel: new Map(),
            scopes: new Map(),
          };
          const model: Model = { holder: undefined, line: [], grants: [], nextId: 0 };
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          for (const cancel of real.cancel.values()) cancel();
          await macrotask();
          expect(real.lock.waiting).toBe(0);
        }),
      );
    },
  );
});
