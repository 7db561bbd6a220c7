import { type Scope, type TaskGroup, taskGroup } from "@weft/core";
import { macrotask } from "@weft/core/internal";
import { fakeTime } from "@weft/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nameError, startCall } from "./calls.test-support.ts";
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

type Name = "a" | "b";
const NAMES: readonly Name[] = ["a", "b"];

type Outcome =
  | { readonly key: string; readonly value: number | undefined }
  | { readonly error: string };

interface CaseSpec {
  readonly kind: "send" | "receive";
  readonly channel: Name;
}

interface Entry {
  readonly op: number;
  readonly key: string;
  readonly value: number;
}

interface ChannelModel {
  readonly capacity: number;
  readonly overflow: Overflow;
  buffer: number[];
  senders: Entry[];
  receivers: Entry[];
  closed: boolean;
  error: string | undefined;
  undelivered: number[];
}

interface Model {
  channels: Record<Name, ChannelModel>;
  outcomes: Map<number, Outcome>;
  /** Calls that wait, in the order they started. */
  waiting: number[];
  sent: number[];
  received: number[];
  nextOp: number;
}

interface Real {
  channels: Record<Name, Channel<number>>;
  errors: Record<Name, Error>;
  undelivered: Record<Name, number[]>;
  group: TaskGroup;
  outcomes: Map<number, Outcome>;
  cancels: Map<number, () => void>;
  sent: number[];
  received: number[];
}

const closeError = (channel: ChannelModel): string => channel.error ?? "closed";

function complete(model: Model, op: number, outcome: Outcome): void {
  model.outcomes.set(op, outcome);
  model.waiting = model.waiting.filter((id) => id !== op);
  for (const name of NAMES) {
    const channel = model.channels[name];
    channel.senders = channel.senders.filter((entry) => entry.op !== op);
    channel.receivers = channel.receivers.filter((entry) => entry.op !== op);
  }
  if ("key" in outcome && outcome.key.startsWith("send"))
    model.sent.push(sendValue(op, outcome.key));
  if ("key" in outcome && outcome.value !== undefined && outcome.key.startsWith("receive")) {
    model.received.push(outcome.value);
  }
}

/** The value a call sends for case `key`: unique per call and case. */
const sendValue = (op: number, key: string): number => op * 10 + Number(key.slice(-1));

const canSend = (c: ChannelModel): boolean =>
  c.closed || c.receivers.length > 0 || c.buffer.length < c.capacity || c.overflow !== "wait";
const canReceive = (c: ChannelModel): boolean =>
  c.closed || c.buffer.length > 0 || c.senders.length > 0;

/** What case `key` of a ready call would produce, without doing it. */
function preview(model: Model, spec: CaseSpec, key: string): Outcome {
  const c = model.channels[spec.channel];
  if (spec.kind === "send") return c.closed ? { error: "closed" } : { key, value: undefined };
  const next = c.buffer[0] ?? c.senders[0]?.value;
  return next === undefined ? { error: closeError(c) } : { key, value: next };
}

/** Sends for call `op`, case `key`; parks it if the channel is full and `park`. */
function modelSend(model: Model, name: Name, op: number, key: string, park: boolean): boolean {
  const c = model.channels[name];
  const value = sendValue(op, key);
  if (c.closed) {
    complete(model, op, { error: "closed" });
    return false;
  }
  const receiver = c.receivers.shift();
  if (receiver !== undefined) complete(model, receiver.op, { key: receiver.key, value });
  else if (c.buffer.length < c.capacity) c.buffer.push(value);
  else if (c.overflow === "drop-newest") c.undelivered.push(value);
  else if (c.overflow === "drop-oldest") {
    c.undelivered.push(c.buffer.shift() as number);
    c.buffer.push(value);
  } else {
    if (park) c.senders.push({ op, key, value });
    return false;
  }
  complete(model, op, { key, value: undefined });
  return true;
}

/** Receives for call `op`, case `key`; parks it if nothing is ready and `park`. */
function modelReceive(model: Model, name: Name, op: number, key: string, park: boolean): boolean {
  const c = model.channels[name];
  const value = c.buffer.shift();
  if (value !== undefined) {
    complete(model, op, { key, value });
    while (c.buffer.length < c.capacity) {
      const sender = c.senders.shift();
      if (sender === undefined) break;
      complete(model, sender.op, { key: sender.key, value: undefined });
      c.buffer.push(sender.value);
    }
    return true;
  }
  const sender = c.senders.shift();
  if (sender !== undefined) {
    complete(model, sender.op, { key: sender.key, value: undefined });
    complete(model, op, { key, value: sender.value });
    return true;
  }
  if (c.closed) {
    complete(model, op, { error: closeError(c) });
    return true;
  }
  if (park) c.receivers.push({ op, key, value: -1 });
  return false;
}

function modelClose(model: Model, name: Name, withError: boolean): void {
  const c = model.channels[name];
  if (c.closed) return;
  c.closed = true;
  c.error = withError ? `error ${name}` : undefined;
  for (const sender of [...c.senders]) complete(model, sender.op, { error: "closed" });
  if (withError) c.undelivered.push(...c.buffer.splice(0));
  if (c.buffer.length === 0) {
    for (const receiver of [...c.receivers]) complete(model, receiver.op, { error: closeError(c) });
  }
}

function describeError(real: Real, error: unknown): string {
  return nameError(error, { "error a": real.errors.a, "error b": real.errors.b });
}

function toCases(real: Real, op: number, specs: readonly CaseSpec[]): Record<string, SelectCase> {
  const cases: Record<string, SelectCase> = {};
  specs.forEach((spec, index) => {
    const key = `${spec.kind}${index}`;
    const channel = real.channels[spec.channel];
    cases[key] = spec.kind === "send" ? onSend(channel, sendValue(op, key)) : onReceive(channel);
  });
  return cases;
}

/** Starts a blocking call as a task of its own, in a cancel scope `real.cancels` can cancel. */
function start(
  real: Real,
  op: number,
  call: (scope: Scope) => Promise<{ key: string; value: unknown }>,
): void {
  startCall(real, op, call, { "error a": real.errors.a, "error b": real.errors.b }, (settled) => {
    if ("error" in settled) {
      real.outcomes.set(op, settled);
      return;
    }
    const { key, value } = settled.value;
    real.outcomes.set(op, { key, value: value as number | undefined });
    if (key.startsWith("send")) real.sent.push(sendValue(op, key));
    else real.received.push(value as number);
  });
}

async function compare(model: Model, real: Real): Promise<void> {
  await macrotask();
  expect(real.outcomes).toEqual(model.outcomes);
  for (const name of NAMES) {
    const c = model.channels[name];
    expect(real.channels[name].stats()).toMatchObject({
      size: c.buffer.length,
      waitingSenders: c.senders.length,
      waitingReceivers: c.receivers.length,
    });
    expect(real.channels[name].closed).toBe(c.closed);
    expect(real.undelivered[name]).toEqual(c.undelivered);
  }
}

type Command = fc.AsyncCommand<Model, Real>;

class Send implements Command {
  readonly channel: Name;
  constructor(channel: Name) {
    this.channel = channel;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    model.waiting.push(op);
    modelSend(model, this.channel, op, "send0", true);
    const channel = real.channels[this.channel];
    start(real, op, (s) =>
      channel.send(sendValue(op, "send0"), s).then(() => ({ key: "send0", value: undefined })),
    );
    await compare(model, real);
  }
  toString(): string {
    return `send(${this.channel})`;
  }
}

class Receive implements Command {
  readonly channel: Name;
  constructor(channel: Name) {
    this.channel = channel;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    model.waiting.push(op);
    modelReceive(model, this.channel, op, "receive0", true);
    const channel = real.channels[this.channel];
    start(real, op, (s) => channel.receive(s).then((value) => ({ key: "receive0", value })));
    await compare(model, real);
  }
  toString(): string {
    return `receive(${this.channel})`;
  }
}

class TrySend implements Command {
  readonly channel: Name;
  constructor(channel: Name) {
    this.channel = channel;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    const c = model.channels[this.channel];
    const expected = !c.closed && canSend(c) && modelSend(model, this.channel, op, "send0", false);
    model.outcomes.delete(op);
    const sent = real.channels[this.channel].trySend(sendValue(op, "send0"));
    expect(sent).toBe(expected);
    if (sent) real.sent.push(sendValue(op, "send0"));
    await compare(model, real);
  }
  toString(): string {
    return `trySend(${this.channel})`;
  }
}

class TryReceive implements Command {
  readonly channel: Name;
  constructor(channel: Name) {
    this.channel = channel;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const op = model.nextOp++;
    const c = model.channels[this.channel];
    const ready = c.buffer.length > 0 || c.senders.length > 0;
    if (ready) modelReceive(model, this.channel, op, "receive0", false);
    const expected = model.outcomes.get(op);
    model.outcomes.delete(op);
    const taken = real.channels[this.channel].tryReceive();
    expect(taken).toEqual(
      expected !== undefined && "key" in expected
        ? { ok: true, value: expected.value }
        : { ok: false },
    );
    if (taken.ok) real.received.push(taken.value);
    await compare(model, real);
  }
  toString(): string {
    return `tryReceive(${this.channel})`;
  }
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

class Close implements Command {
  readonly channel: Name;
  readonly withError: boolean;
  constructor(channel: Name, withError: boolean) {
    this.channel = channel;
    this.withError = withError;
  }
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    modelClose(model, this.channel, this.withError);
    real.channels[this.channel].close(this.withError ? real.errors[this.channel] : undefined);
    await compare(model, real);
  }
  toString(): string {
    return `close(${this.channel}${this.withError ? ", error" : ""})`;
  }
}

class Cancel implements Command {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check(model: Model): boolean {
    return model.waiting.length > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const op = model.waiting[this.pick % model.waiting.length] as number;
    complete(model, op, { error: "cancelled" });
    real.cancels.get(op)?.();
    await compare(model, real);
  }
  toString(): string {
    return `cancel(#${this.pick})`;
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
