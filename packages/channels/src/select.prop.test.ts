import { taskGroup } from "@weft/core";
import { macrotask } from "@weft/core/internal";
import { fakeTime } from "@weft/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Cancel,
  Close,
  type Command,
  compare,
  describeError,
  type Real,
  Receive,
  Send,
  start,
  TryReceive,
  TrySend,
} from "./channel-commands.test-support.ts";
import {
  type CaseSpec,
  type ChannelModel,
  canReceive,
  canSend,
  type Model,
  modelReceive,
  modelSend,
  NAMES,
  type Name,
  type Outcome,
  preview,
  sendValue,
} from "./channel-model.test-support.ts";
import {
  Channel,
  type Overflow,
  onReceive,
  onSend,
  type SelectCase,
  select,
  trySelect,
} from "./index.ts";

// Model-based test: two channels (each rendezvous, bounded with any overflow policy, or
// unbounded) under random interleavings of send, receive, select over any mix of their cases
// (fair or biased), trySend, tryReceive, trySelect, close (plain or with an error) and
// cancellation of a waiting call, against a reference model. Every blocking call is a task of its
// own in a cancel scope, under `fakeTime` with a generated seed (select's fair choice follows it),
// so a failing case replays. After each command the outcome of every call, every channel's size
// and waiting lines, and every onUndelivered call match the model exactly: FIFO, waiters served in
// arrival order, exactly one select case commits. At the end every item whose send completed was
// received, reached onUndelivered, or is still buffered: exactly one of these, exactly once.

function toCases(real: Real, op: number, specs: readonly CaseSpec[]): Record<string, SelectCase> {
  const cases: Record<string, SelectCase> = {};
  specs.forEach((spec, index) => {
    const key = `${spec.kind}${index}`;
    const channel = real.channels[spec.channel];
    cases[key] = spec.kind === "send" ? onSend(channel, sendValue(op, key)) : onReceive(channel);
  });
  return cases;
}

/** Applies the ready case the real call chose (checked against the model's ready cases). */
function applyChoice(
  model: Model,
  op: number,
  specs: readonly CaseSpec[],
  biased: boolean,
  actual: Outcome | undefined,
): void {
  const ready = specs
    .map((spec, index) => ({ spec, key: `${spec.kind}${index}` }))
    .filter(({ spec }) =>
      spec.kind === "send"
        ? canSend(model.channels[spec.channel])
        : canReceive(model.channels[spec.channel]),
    );
  if (ready.length === 0) {
    expect(actual).toBeUndefined();
    return;
  }
  const candidates = biased ? ready.slice(0, 1) : ready;
  const chosen = candidates.find(({ spec, key }) => {
    const expected = preview(model, spec, key);
    return JSON.stringify(expected) === JSON.stringify(actual);
  });
  expect(chosen, `${JSON.stringify(actual)} from ${JSON.stringify(candidates)}`).toBeDefined();
  const { spec, key } = chosen as (typeof ready)[number];
  if (spec.kind === "send") modelSend(model, spec.channel, op, key, false);
  else modelReceive(model, spec.channel, op, key, false);
}

class Select implements Command {
  readonly specs: readonly CaseSpec[];
  readonly biased: boolean;
  constructor(specs: readonly CaseSpec[], biased: boolean) {
    this.specs = specs;
    this.biased = biased;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    const cases = toCases(real, op, this.specs);
    const biased = this.biased;
    start(
      real,
      op,
      (s) => select(s, cases, { biased }) as Promise<{ key: string; value: unknown }>,
    );
    await macrotask();
    applyChoice(model, op, this.specs, biased, real.outcomes.get(op));
    if (!model.outcomes.has(op)) {
      model.waiting.push(op);
      this.specs.forEach((spec, index) => {
        const key = `${spec.kind}${index}`;
        const c = model.channels[spec.channel];
        if (spec.kind === "send") c.senders.push({ op, key, value: sendValue(op, key) });
        else c.receivers.push({ op, key, value: -1 });
      });
    }
    await compare(model, real);
  }
  toString(): string {
    const cases = this.specs.map((spec) => `${spec.kind} ${spec.channel}`).join(", ");
    return `select(${cases}${this.biased ? "; biased" : ""})`;
  }
}

class TrySelect implements Command {
  readonly specs: readonly CaseSpec[];
  constructor(specs: readonly CaseSpec[]) {
    this.specs = specs;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    let actual: Outcome | undefined;
    try {
      const result = trySelect(toCases(real, op, this.specs), { biased: true });
      if (result !== undefined) {
        actual = { key: result.key, value: result.value as number | undefined };
        if (result.key.startsWith("send")) real.sent.push(sendValue(op, result.key));
        else real.received.push(result.value as unknown as number);
      }
    } catch (error) {
      actual = { error: describeError(real, error) };
    }
    applyChoice(model, op, this.specs, true, actual);
    model.outcomes.delete(op);
    await compare(model, real);
  }
  toString(): string {
    return `trySelect(${this.specs.map((spec) => `${spec.kind} ${spec.channel}`).join(", ")})`;
  }
}

const name = fc.constantFrom<Name>("a", "b");
const caseSpec = fc.record({
  kind: fc.constantFrom<"send" | "receive">("send", "receive"),
  channel: name,
});
// One case at most per channel and direction: a waiting select's entries on one channel would
// otherwise stand in its shuffled order, which the model does not follow.
const specs = fc.uniqueArray(caseSpec, {
  minLength: 1,
  maxLength: 3,
  selector: (spec) => `${spec.kind} ${spec.channel}`,
});
// Closing ends the interesting part of a run: it is drawn rarely.
const commands = fc.commands(
  [
    fc.oneof(
      { arbitrary: name.map((channel) => new Send(channel)), weight: 3 },
      { arbitrary: name.map((channel) => new Receive(channel)), weight: 3 },
      { arbitrary: name.map((channel) => new TrySend(channel)), weight: 2 },
      { arbitrary: name.map((channel) => new TryReceive(channel)), weight: 2 },
      {
        arbitrary: fc
          .tuple(specs, fc.boolean())
          .map(([cases, biased]) => new Select(cases, biased)),
        weight: 4,
      },
      { arbitrary: specs.map((cases) => new TrySelect(cases)), weight: 2 },
      {
        arbitrary: fc
          .tuple(name, fc.boolean())
          .map(([channel, withError]) => new Close(channel, withError)),
        weight: 1,
      },
      { arbitrary: fc.nat(20).map((pick) => new Cancel(pick)), weight: 2 },
    ),
  ],
  { maxCommands: 40, size: "max" },
);

const config = fc.oneof(
  fc.constant({ capacity: 0, overflow: "wait" as Overflow }),
  fc.constant({ capacity: Number.POSITIVE_INFINITY, overflow: "wait" as Overflow }),
  fc.record({
    capacity: fc.integer({ min: 1, max: 2 }),
    overflow: fc.constantFrom<Overflow>("wait", "drop-newest", "drop-oldest"),
  }),
);

describe("select and Channel", () => {
  it("match a model of two channels: FIFO, one case per select, nothing lost or duplicated", async () => {
    await fc.assert(
      fc.asyncProperty(
        config,
        config,
        fc.integer(),
        commands,
        async (configA, configB, seed, cmds) => {
          await fakeTime(
            ({ scope }) =>
              taskGroup(scope, async (group) => {
                const undelivered: Record<Name, number[]> = { a: [], b: [] };
                const make = (which: Name, { capacity, overflow }: typeof configA) =>
                  new Channel<number>({
                    capacity,
                    overflow,
                    onUndelivered: (item) => undelivered[which].push(item),
                  });
                const real: Real = {
                  channels: { a: make("a", configA), b: make("b", configB) },
                  errors: { a: new Error("error a"), b: new Error("error b") },
                  undelivered,
                  group,
                  outcomes: new Map(),
                  cancels: new Map(),
                  sent: [],
                  received: [],
                };
                const fresh = ({ capacity, overflow }: typeof configA): ChannelModel => ({
                  capacity,
                  overflow,
                  buffer: [],
                  senders: [],
                  receivers: [],
                  closed: false,
                  error: undefined,
                  undelivered: [],
                });
                const model: Model = {
                  channels: { a: fresh(configA), b: fresh(configB) },
                  outcomes: new Map(),
                  waiting: [],
                  sent: [],
                  received: [],
                  nextOp: 0,
                };
                await fc.asyncModelRun(() => ({ model, real }), cmds);
                for (const cancel of real.cancels.values()) cancel();
                await macrotask();
                const left: number[] = [];
                for (const which of NAMES) {
                  real.channels[which].close();
                  for (let taken = real.channels[which].tryReceive(); taken.ok; ) {
                    left.push(taken.value);
                    taken = real.channels[which].tryReceive();
                  }
                }
                expect(left).toEqual([...model.channels.a.buffer, ...model.channels.b.buffer]);
                // Every completed send's item: received, undelivered or left over, exactly once.
                const out = [...real.received, ...undelivered.a, ...undelivered.b, ...left];
                expect(out.sort((x, y) => x - y)).toEqual([...real.sent].sort((x, y) => x - y));
                expect([...real.received].sort()).toEqual([...model.received].sort());
              }),
            { seed },
          );
        },
      ),
      { numRuns: 120 },
    );
  }, 60_000);
});
