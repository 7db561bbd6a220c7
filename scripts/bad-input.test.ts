import * as channels from "@weft/channels";
import * as core from "@weft/core";
import * as testing from "@weft/testing";
import * as timers from "@weft/timers";
import * as workers from "@weft/workers";
import { describe, expect, it } from "vitest";

// Every public function and constructor of every package, called with bad input: wrong types,
// NaN, negative numbers, Infinity where a finite number is meant, non-functions for callbacks,
// plain objects for scopes, and exited scopes. Each bad call must throw a TypeError or RangeError
// synchronously whose message names the parameter (an exited scope: the rejection every operation
// gives one), and must leave no timer, task or listener behind. A new export fails the
// completeness check below until it has a row here.

/** What every case gets: the harness's scope and clock, an exited scope, a look-alike scope. */
interface Context {
  readonly scope: core.Scope;
  readonly clock: testing.TestClock;
  /** A scope whose body has returned. */
  readonly exited: core.Scope;
  /** A plain object shaped like a scope: `{ signal, clock }`, not made by Weft. */
  readonly lookalike: { signal: AbortSignal; clock: core.Clock };
}

type Call = (c: Context) => unknown;

/** A call that must throw `error` synchronously, its message naming `` `name` ``. */
interface BadCase {
  readonly kind: "bad";
  readonly error: typeof TypeError | typeof RangeError;
  readonly name: string;
  readonly what: string;
  readonly call: Call;
}

/** A call given an exited scope: it must refuse (throw or reject) with the exited-scope error. */
interface ExitedCase {
  readonly kind: "exited";
  readonly what: string;
  readonly call: Call;
}

type Case = BadCase | ExitedCase;

/** A row: the cases of one export, or why it takes no input that could be bad. */
type Row = { readonly cases: readonly Case[] } | { readonly anyInput: string };

const bad =
  (error: typeof TypeError | typeof RangeError, name: string) =>
  (what: string, call: Call): BadCase => ({ kind: "bad", error, name, what, call });
const type = (name: string) => bad(TypeError, name);
const range = (name: string) => bad(RangeError, name);
const exited = (call: Call): ExitedCase => ({ kind: "exited", what: "an exited scope", call });

const noop = async (): Promise<void> => undefined;
const notFunctions: readonly [string, unknown][] = [
  ["a number", 5],
  ["a string", "fn"],
  ["an object", {}],
  ["undefined", undefined],
];

/** A callback parameter: every non-function is a TypeError naming it. */
const callback = (name: string, call: (fn: never, c: Context) => unknown): Case[] =>
  notFunctions.map(([what, value]) => type(name)(what, (c) => call(value as never, c)));

/** A `parent: Scope` parameter: look-alikes, non-scopes, and an exited scope. */
const scopeParam = (
  name: string,
  call: (scope: never, c: Context) => unknown,
  options: { exited?: boolean; signal?: boolean } = {},
): Case[] => [
  type(name)("undefined", (c) => call(undefined as never, c)),
  type(name)("an empty object", (c) => call({} as never, c)),
  // Where a plain `{ signal }` is allowed (a WaitOptions), a look-alike scope is not bad input.
  ...(options.signal === true
    ? []
    : [type(name)("a look-alike { signal, clock }", (c) => call(c.lookalike as never, c))]),
  type(name)("a number", (c) => call(5 as never, c)),
  ...(options.exited === false ? [] : [exited((c) => call(c.exited as never, c))]),
];

/** A number parameter: a string is a TypeError; each of `values` a RangeError. */
const numberParam = (
  name: string,
  values: readonly number[],
  call: (value: never, c: Context) => unknown,
): Case[] => [
  type(name)("a string", (c) => call("1" as never, c)),
  ...values.map((value) => range(name)(String(value), (c) => call(value as never, c))),
];

const NaN_ = Number.NaN;
const inf = Number.POSITIVE_INFINITY;
const durations = [NaN_, -1, Number.NEGATIVE_INFINITY];
const finiteDurations = [...durations, inf];
const positiveIntegers = [0, -1, 1.5, NaN_, inf];
const times = [NaN_];

/** Options parameters: a non-object is a TypeError naming `name`. */
const optionsParam = (name: string, call: (options: never, c: Context) => unknown): Case[] => [
  type(name)("a number", (c) => call(5 as never, c)),
  type(name)("a string", (c) => call("options" as never, c)),
];

const signal = (): AbortSignal => new AbortController().signal;
/** The `TimeOptions` of a timer function: a non-object, or a bad `signal`, `clock` or `scope`. */
const timeOptions = (call: (options: never, c: Context) => unknown): Case[] => [
  ...optionsParam("options", call),
  type("signal")("a non-signal `signal`", (c) => call({ signal: {} } as never, c)),
  type("clock")("a non-clock `clock`", (c) => call({ clock: { now: () => 0 } } as never, c)),
  type("scope")("a look-alike `scope`", (c) => call({ scope: c.lookalike } as never, c)),
];

const workerFile = new URL("../packages/workers/test/fixtures/tasks.mjs", import.meta.url);

const table: Record<string, Record<string, Row>> = {
  "@weft/core": {
    asCompleted: {
      cases: [
        // An iterator: an exited scope rejects its first `next()`.
        ...scopeParam("parent", (parent) =>
          core.asCompleted(parent, [noop])[Symbol.asyncIterator]().next(),
        ),
        type("fns")("a number", (c) => core.asCompleted(c.scope, 5 as never)),
        type("fns[0]")("a non-function element", (c) => core.asCompleted(c.scope, [5 as never])),
      ],
    },
    Barrier: { cases: numberParam("parties", positiveIntegers, (n) => new core.Barrier(n)) },
    cancelScope: {
      cases: [
        ...scopeParam("parent", (parent) => core.cancelScope(parent, noop)),
        ...callback("body", (body, c) => core.cancelScope(c.scope, body)),
        ...optionsParam("options", (options, c) => core.cancelScope(c.scope, noop, options)),
        range("deadline")("a NaN deadline", (c) =>
          core.cancelScope(c.scope, noop, { deadline: NaN_ }),
        ),
        range("timeout")("a NaN timeout", (c) =>
          core.cancelScope(c.scope, noop, { timeout: NaN_ }),
        ),
        type("shield")("a string shield", (c) =>
          core.cancelScope(c.scope, noop, { shield: "yes" as never }),
        ),
        type("name")("a number name", (c) => core.cancelScope(c.scope, noop, { name: 5 as never })),
      ],
    },
    checkpoint: { cases: scopeParam("scope", (scope) => core.checkpoint(scope)) },
    Condition: {
      cases: [
        type("lock")("an object", () => new core.Condition({} as never)),
        type("lock")("a number", () => new core.Condition(5 as never)),
      ],
    },
    CancelledError: { anyInput: "an error: any message; its options are read, never rejected" },
    Event: {
      cases: [
        type("options")("an object without a signal", () => new core.Event().wait({})),
        type("options")("a number", () => new core.Event().wait(5 as never)),
      ],
    },
    failAfter: {
      cases: [
        ...scopeParam("parent", (parent) => core.failAfter(parent, 10, noop)),
        ...numberParam("ms", times, (ms, c) => core.failAfter(c.scope, ms, noop)),
        ...callback("body", (body, c) => core.failAfter(c.scope, 10, body)),
      ],
    },
    failAt: {
      cases: [
        ...scopeParam("parent", (parent) => core.failAt(parent, 10, noop)),
        ...numberParam("deadline", times, (deadline, c) => core.failAt(c.scope, deadline, noop)),
        ...callback("body", (body, c) => core.failAt(c.scope, 10, body)),
      ],
    },
    formatTaskTree: {
      cases: [
        type("snapshot")("an empty object", () => core.formatTaskTree({} as never)),
        type("snapshot")("a number", () => core.formatTaskTree(5 as never)),
      ],
    },
    gather: {
      cases: [
        ...scopeParam("parent", (parent) => core.gather(parent, [noop])),
        type("fns")("a number", (c) => core.gather(c.scope, 5 as never)),
        type("fns[0]")("a non-function element", (c) => core.gather(c.scope, [5 as never])),
        ...optionsParam("options", (options, c) => core.gather(c.scope, [noop], options)),
        type("options.returnErrors")("a string returnErrors", (c) =>
          core.gather(c.scope, [noop], { returnErrors: "yes" as never }),
        ),
      ],
    },
    isCancellation: { anyInput: "a guard: any value is a question, answered true or false" },
    isScope: { anyInput: "a guard: any value is a question, answered true or false" },
    Limiter: {
      cases: [
        type("options")("undefined", () => new core.Limiter(undefined as never)),
        ...numberParam(
          "concurrency",
          [0, -1, 1.5, NaN_],
          (concurrency) => new core.Limiter({ concurrency }),
        ),
        range("rate.limit")(
          "a zero rate limit",
          () => new core.Limiter({ concurrency: 1, rate: { limit: 0, interval: 10 } }),
        ),
        range("rate.interval")(
          "a zero rate interval",
          () => new core.Limiter({ concurrency: 1, rate: { limit: 1, interval: 0 } }),
        ),
        range("rate.interval")(
          "an infinite rate interval",
          () => new core.Limiter({ concurrency: 1, rate: { limit: 1, interval: inf } }),
        ),
        ...scopeParam("scope", (scope) => new core.Limiter({ concurrency: 1 }).run(scope, noop)),
        ...callback("fn", (fn, c) => new core.Limiter({ concurrency: 1 }).run(c.scope, fn)),
        range("priority")("a NaN priority", (c) =>
          new core.Limiter({ concurrency: 1 }).run(c.scope, noop, { priority: NaN_ }),
        ),
        range("weight")("a negative weight", (c) =>
          new core.Limiter({ concurrency: 1 }).run(c.scope, noop, { weight: -1 }),
        ),
      ],
    },
    Lock: {
      cases: [
        type("options")("an object without a signal", () => new core.Lock().acquire({})),
        type("options")("a forgotten scope in withLock", () =>
          new core.Lock().withLock(undefined as never, noop),
        ),
        ...callback("fn", (fn) => new core.Lock().withLock({ signal: signal() }, fn)),
      ],
    },
    map: {
      cases: [
        ...scopeParam("parent", (parent) => core.map(parent, [1], noop)),
        type("items")("a number", (c) => core.map(c.scope, 5 as never, noop)),
        ...callback("fn", (fn, c) => core.map(c.scope, [1], fn)),
        ...optionsParam("options", (options, c) => core.map(c.scope, [1], noop, options)),
        ...numberParam("concurrency", [0, -1, 1.5, NaN_], (concurrency, c) =>
          core.map(c.scope, [1], noop, { concurrency }),
        ),
      ],
    },
    moveOnAfter: {
      cases: [
        ...scopeParam("parent", (parent) => core.moveOnAfter(parent, 10, noop)),
        ...numberParam("ms", times, (ms, c) => core.moveOnAfter(c.scope, ms, noop)),
        ...callback("body", (body, c) => core.moveOnAfter(c.scope, 10, body)),
      ],
    },
    moveOnAt: {
      cases: [
        ...scopeParam("parent", (parent) => core.moveOnAt(parent, 10, noop)),
        ...numberParam("deadline", times, (deadline, c) => core.moveOnAt(c.scope, deadline, noop)),
        ...callback("body", (body, c) => core.moveOnAt(c.scope, 10, body)),
      ],
    },
    observeTasks: {
      cases: [
        ...scopeParam("scope", (scope) => core.observeTasks(scope, () => undefined), {
          exited: false,
        }),
        ...callback("observer", (observer, c) => core.observeTasks(c.scope, observer)),
      ],
    },
    race: {
      cases: [
        ...scopeParam("parent", (parent) => core.race(parent, [noop])),
        type("fns")("a number", (c) => core.race(c.scope, 5 as never)),
        type("fns[0]")("a non-function element", (c) => core.race(c.scope, [5 as never])),
        range("fns")("an empty list", (c) => core.race(c.scope, [])),
      ],
    },
    run: {
      cases: [
        ...callback("main", (main) => core.run(main)),
        ...optionsParam("options", (options) => core.run(noop, options)),
        type("clock")("a non-clock clock", () => core.run(noop, { clock: {} as never })),
        type("signal")("a non-signal signal", () => core.run(noop, { signal: {} as never })),
        type("name")("a number name", () => core.run(noop, { name: 5 as never })),
      ],
    },
    Semaphore: {
      cases: [
        ...numberParam("value", [-1, 1.5, NaN_, inf], (value) => new core.Semaphore(value)),
        type("options")("an object without a signal", () => new core.Semaphore(0).acquire({})),
        range("weight")("a negative weight", (c) => new core.Semaphore(1).acquire(c.scope, -1)),
        type("options")("a forgotten scope in withPermit", () =>
          new core.Semaphore(1).withPermit(undefined as never, noop),
        ),
      ],
    },
    suspend: {
      cases: [
        type("label")("a number label", (c) => core.suspend(c.scope, 5 as never, () => undefined)),
        ...callback("register", (register, c) => core.suspend(c.scope, "wait", register)),
        type("options")("a number", () => core.suspend(5 as never, "wait", () => undefined)),
        exited((c) => core.suspend(c.exited, "wait", () => undefined)),
      ],
    },
    systemClock: { anyInput: "a Clock object, not a function or constructor" },
    TaskGroupError: {
      cases: [type("errors")("a number", () => new core.TaskGroupError(5 as never))],
    },
    taskGroup: {
      cases: [
        ...scopeParam("parent", (parent) => core.taskGroup(parent, noop)),
        ...callback("body", (body, c) => core.taskGroup(c.scope, body)),
      ],
    },
    taskStats: {
      cases: scopeParam("scope", (scope) => core.taskStats(scope), { exited: false }),
    },
    taskTree: {
      cases: scopeParam("scope", (scope) => core.taskTree(scope), { exited: false }),
    },
    TimeoutError: { anyInput: "an error: any message and cause" },
  },
  "@weft/timers": {
    constant: { cases: numberParam("ms", finiteDurations, (ms) => timers.constant(ms)) },
    exponential: {
      cases: [
        ...optionsParam("options", (options) => timers.exponential(options)),
        ...numberParam("initial", finiteDurations, (initial) => timers.exponential({ initial })),
        ...numberParam("factor", [0.5, NaN_, inf], (factor) => timers.exponential({ factor })),
        ...numberParam("max", durations, (max) => timers.exponential({ max })),
        type("jitter")("an unknown jitter", () => timers.exponential({ jitter: "half" as never })),
        ...[5, "random", {}, null].map((random) =>
          type("random")(String(random), () => timers.exponential({ random: random as never })),
        ),
      ],
    },
    interval: {
      cases: [
        ...numberParam("ms", [0, -1, NaN_, inf], (ms, c) => timers.interval(ms, c.scope)),
        ...timeOptions((options) => timers.interval(10, options)),
        type("missed")("an unknown missed", (c) =>
          timers.interval(10, { scope: c.scope, missed: "delay" as never }),
        ),
      ],
    },
    retry: {
      cases: [
        ...callback("fn", (fn, c) => timers.retry(fn, c.scope)),
        ...timeOptions((options) => timers.retry(noop, options)),
        ...numberParam("retries", [-1, 1.5, NaN_], (retries, c) =>
          timers.retry(noop, { scope: c.scope, retries }),
        ),
        type("backoff")("a number backoff", (c) =>
          timers.retry(noop, { scope: c.scope, backoff: 5 as never }),
        ),
        type("retryIf")("a number retryIf", (c) =>
          timers.retry(noop, { scope: c.scope, retryIf: 5 as never }),
        ),
        exited((c) => timers.retry(noop, c.exited)),
      ],
    },
    sleep: {
      cases: [
        ...numberParam("ms", durations, (ms, c) => timers.sleep(ms, c.scope)),
        range("ms")("Infinity with nothing to end it", (c) =>
          timers.sleep(inf, { clock: c.clock }),
        ),
        ...timeOptions((options) => timers.sleep(1, options)),
        exited((c) => timers.sleep(1, c.exited)),
      ],
    },
    sleepForever: {
      cases: [
        type("options")("undefined", () => timers.sleepForever(undefined as never)),
        type("options")("an empty object", () => timers.sleepForever({})),
        type("options")("only a clock", (c) => timers.sleepForever({ clock: c.clock })),
        ...timeOptions((options) => timers.sleepForever(options)),
        exited((c) => timers.sleepForever(c.exited)),
      ],
    },
    sleepUntil: {
      cases: [
        ...numberParam("deadline", times, (deadline, c) => timers.sleepUntil(deadline, c.scope)),
        range("deadline")("Infinity with nothing to end it", (c) =>
          timers.sleepUntil(inf, { clock: c.clock }),
        ),
        ...timeOptions((options) => timers.sleepUntil(1, options)),
        exited((c) => timers.sleepUntil(1, c.exited)),
      ],
    },
    timeoutSignal: {
      cases: [
        ...numberParam("ms", durations, (ms, c) => timers.timeoutSignal(ms, c.scope)),
        ...timeOptions((options) => timers.timeoutSignal(1, options)),
      ],
    },
    VirtualClock: {
      cases: [
        ...optionsParam("options", (options) => new timers.VirtualClock(options)),
        ...numberParam("start", [NaN_, inf], (start) => new timers.VirtualClock({ start })),
        range("ms")("a negative advance", () => new timers.VirtualClock().advance(-1)),
        range("limit")("a negative runAll limit", () =>
          new timers.VirtualClock().runAll({ limit: -1 }),
        ),
      ],
    },
  },
  "@weft/channels": {
    Broadcast: {
      cases: [
        type("options")("undefined", () => new channels.Broadcast(undefined as never)),
        ...numberParam(
          "capacity",
          [-1, 1.5, NaN_],
          (capacity) => new channels.Broadcast({ capacity }),
        ),
      ],
    },
    Channel: {
      cases: [
        type("options")("a string", () => new channels.Channel("1" as never)),
        ...[-1, 1.5, NaN_].map((capacity) =>
          range("capacity")(String(capacity), () => new channels.Channel(capacity)),
        ),
        type("overflow")(
          "an unknown overflow",
          () => new channels.Channel({ capacity: 1, overflow: "drop" as never }),
        ),
        type("onUndelivered")(
          "a number onUndelivered",
          () => new channels.Channel({ onUndelivered: 5 as never }),
        ),
        type("options")("an object without a signal", () => new channels.Channel().receive({})),
      ],
    },
    ChannelClosedError: { anyInput: "an error: any message and cause" },
    LifoQueue: { cases: numberParam("maxsize", [1.5, NaN_], (n) => new channels.LifoQueue(n)) },
    onReceive: {
      cases: [
        type("channel")("an object", () => channels.onReceive({} as never)),
        type("channel")("a number", () => channels.onReceive(5 as never)),
      ],
    },
    onSend: {
      cases: [
        type("channel")("an object", () => channels.onSend({} as never, 1)),
        type("channel")("a number", () => channels.onSend(5 as never, 1)),
      ],
    },
    PriorityQueue: {
      cases: [
        ...numberParam("maxsize", [1.5, NaN_], (n) => new channels.PriorityQueue(n)),
        type("compare")("a number compare", () => new channels.PriorityQueue(0, 5 as never)),
      ],
    },
    Queue: { cases: numberParam("maxsize", [1.5, NaN_], (n) => new channels.Queue(n)) },
    QueueEmptyError: { anyInput: "an error: any message" },
    QueueFullError: { anyInput: "an error: any message" },
    QueueShutDownError: { anyInput: "an error: any message" },
    select: {
      cases: [
        ...scopeParam(
          "scope",
          (scope) => channels.select(scope, { a: channels.onReceive(new channels.Channel()) }),
          { signal: true },
        ),
        type("cases")("a number", (c) => channels.select(c.scope, 5 as never)),
        type("cases.a")("a non-case", (c) => channels.select(c.scope, { a: 5 as never })),
        ...optionsParam("options", (options, c) =>
          channels.select(c.scope, { a: channels.onReceive(new channels.Channel()) }, options),
        ),
      ],
    },
    Subscription: { anyInput: "made only by Broadcast.subscribe(), not by users" },
    trySelect: {
      cases: [
        type("cases")("a number", () => channels.trySelect(5 as never)),
        type("cases.a")("a non-case", () => channels.trySelect({ a: 5 as never })),
      ],
    },
  },
  "@weft/testing": {
    DeadlockError: { anyInput: "made by the harness, which fills in its task tree" },
    fakeTime: {
      cases: [
        ...callback("body", (body) => testing.fakeTime(body)),
        ...optionsParam("options", (options) => testing.fakeTime(noop, options)),
        ...numberParam("start", [NaN_, inf], (start) => testing.fakeTime(noop, { start })),
        ...numberParam("timeout", [0, -1, NaN_], (timeout) => testing.fakeTime(noop, { timeout })),
        type("patchGlobals")("a string", () =>
          testing.fakeTime(noop, { patchGlobals: "yes" as never }),
        ),
        type("seed")("a string seed", () => testing.fakeTime(noop, { seed: "1" as never })),
        type("epoch")("a string epoch", () => testing.fakeTime(noop, { epoch: "0" as never })),
      ],
    },
    TestClock: {
      cases: [
        ...optionsParam("options", (options) => new testing.TestClock(options)),
        ...numberParam("start", [NaN_, inf], (start) => new testing.TestClock({ start })),
      ],
    },
    TimerLeakError: { anyInput: "made by the harness from the timers it found pending" },
    trackListeners: {
      cases: [
        type("target")("an object", () => testing.trackListeners({} as never)),
        type("target")("a number", () => testing.trackListeners(5 as never)),
        type("type")("a number type", () => testing.trackListeners(signal(), 5 as never)),
      ],
    },
    waitAllTasksBlocked: {
      cases: scopeParam("scope", (scope) => testing.waitAllTasksBlocked(scope)),
    },
  },
  "@weft/workers": {
    defineWorkerTask: {
      cases: callback("task", (task) => workers.defineWorkerTask(task)),
    },
    openWorkerPool: {
      cases: [
        type("scope")("undefined", () =>
          workers.openWorkerPool(undefined as never, { filename: workerFile }),
        ),
        type("scope")("an empty object", () =>
          workers.openWorkerPool({} as never, { filename: workerFile }),
        ),
        exited((c) => workers.openWorkerPool(c.exited, { filename: workerFile })),
        ...optionsParam("options", (options, c) => workers.openWorkerPool(c.scope, options)),
        type("options.filename")("a number filename", (c) =>
          workers.openWorkerPool(c.scope, { filename: 5 as never }),
        ),
        ...numberParam("options.maxThreads", [0, -1, 1.5, NaN_], (maxThreads, c) =>
          workers.openWorkerPool(c.scope, { filename: workerFile, maxThreads }),
        ),
        ...numberParam("options.minThreads", [-1, 1.5, NaN_], (minThreads, c) =>
          workers.openWorkerPool(c.scope, { filename: workerFile, minThreads }),
        ),
        ...numberParam("options.grace", durations, (grace, c) =>
          workers.openWorkerPool(c.scope, { filename: workerFile, grace }),
        ),
        ...numberParam("options.idleTimeout", durations, (idleTimeout, c) =>
          workers.openWorkerPool(c.scope, { filename: workerFile, idleTimeout }),
        ),
      ],
    },
    WorkerError: { anyInput: "an error: any message and cause" },
    WorkerPool: { anyInput: "made only by openWorkerPool(), not by users" },
  },
};

const modules: Record<string, Record<string, unknown>> = {
  "@weft/core": core,
  "@weft/timers": timers,
  "@weft/channels": channels,
  "@weft/testing": testing,
  "@weft/workers": workers,
};

/** What a bad call may change and must not: timers, tasks, listeners on the harness's signal. */
function footprint(c: Context): string {
  return JSON.stringify([
    c.clock.pending,
    core.taskStats(c.scope),
    core.formatTaskTree(core.taskTree(c.scope)),
  ]);
}

/** Runs `call`; returns what it threw synchronously, or else what its promise rejected with. */
async function outcome(c: Context, call: Call): Promise<{ sync: boolean; error: unknown }> {
  let result: unknown;
  try {
    result = call(c);
  } catch (error) {
    return { sync: true, error };
  }
  if (typeof (result as PromiseLike<unknown> | null)?.then !== "function") {
    return { sync: false, error: undefined };
  }
  let rejected: unknown;
  (result as PromiseLike<unknown>).then(undefined, (error: unknown) => {
    rejected = error ?? new Error(`rejected with ${String(error)}`);
  });
  // Drains the microtasks (through a real macrotask turn) without moving virtual time.
  await c.clock.advance(0);
  return { sync: false, error: rejected };
}

describe("the bad-input table", () => {
  for (const [pkg, module] of Object.entries(modules)) {
    it(`has a row for every export of ${pkg}, and no row for anything else`, () => {
      expect(Object.keys(table[pkg] ?? {}).sort()).toEqual(Object.keys(module).sort());
    });
  }
});

for (const [pkg, rows] of Object.entries(table)) {
  describe(pkg, () => {
    for (const [name, row] of Object.entries(rows)) {
      if (!("cases" in row)) continue;
      it(`${name} refuses bad input synchronously, naming the parameter, and changes nothing`, async () => {
        const failures: string[] = [];
        await testing.fakeTime(async ({ clock, scope }) => {
          let exitedScope: core.Scope | undefined;
          await core.cancelScope(scope, async (inner) => {
            exitedScope = inner;
          });
          const c: Context = {
            scope,
            clock,
            exited: exitedScope as core.Scope,
            lookalike: { signal: signal(), clock },
          };
          for (const entry of row.cases) {
            const before = footprint(c);
            const { sync, error } = await outcome(c, entry.call);
            const label = `${name} with ${entry.what}`;
            const message = error instanceof Error ? error.message : String(error);
            if (entry.kind === "exited") {
              if (!(error instanceof Error) || !message.includes("has already exited")) {
                failures.push(`${label}: expected the exited-scope error, got ${message}`);
              }
            } else if (error === undefined) {
              failures.push(`${label}: accepted`);
            } else if (!sync) {
              failures.push(`${label}: rejected asynchronously (${message}) instead of throwing`);
            } else if (!(error instanceof entry.error)) {
              failures.push(`${label}: expected ${entry.error.name}, got ${String(error)}`);
            } else if (!message.includes(`\`${entry.name}\``)) {
              failures.push(`${label}: message does not name \`${entry.name}\`: ${message}`);
            }
            const after = footprint(c);
            if (after !== before) failures.push(`${label}: changed state ${before} -> ${after}`);
          }
        });
        expect(failures).toEqual([]);
      });
    }
  });
}
