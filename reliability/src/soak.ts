import { setMaxListeners } from "node:events";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Channel, onReceive, Queue, select } from "@weft/channels";
import {
  CancelledError,
  type Clock,
  cancelScope,
  checkpoint,
  failAfter,
  formatTaskTree,
  gather,
  Limiter,
  Lock,
  moveOnAfter,
  run,
  type Scope,
  systemClock,
  TimeoutError,
  type TimerHandle,
  taskGroup,
  taskTree,
} from "@weft/core";
import { fakeTime, trackListeners } from "@weft/testing";
import { constant, retry, sleep, sleepForever } from "@weft/timers";
import { openWorkerPool, type WorkerPool } from "@weft/workers";

/** Options of {@link soak}. */
export interface SoakOptions {
  /** How many operations in all; a multiple of `batch`. */
  readonly operations: number;
  /** `"fake"`: under `fakeTime` (autojump); `"real"`: on the system clock, really waiting. */
  readonly clock: "fake" | "real";
  /** Operations running concurrently in one task group. Defaults to 1,000. */
  readonly batch?: number;
  /** How many of the operations are runs on a worker thread (real threads: keep it small). */
  readonly workerRuns?: number;
  /** Called after each heap sample, for progress output. */
  readonly onSample?: (sample: HeapSample) => void;
}

/** The heap after a full garbage collection, once some fraction of the operations has run. */
export interface HeapSample {
  /** The fraction of the operations done, 0.1, 0.5 or 1. */
  readonly progress: number;
  /** `process.memoryUsage().heapUsed` in bytes. */
  readonly heapUsed: number;
}

/** What a soak measured. It throws instead when an operation did not behave. */
export interface SoakReport {
  readonly clock: "fake" | "real";
  readonly operations: number;
  /** Operations of each kind, by name. */
  readonly counts: Readonly<Record<string, number>>;
  readonly heap: readonly HeapSample[];
  /** Unhandled rejections and uncaught exceptions seen while it ran. */
  readonly unhandled: number;
  /** Timers still pending on the run's clock once it ended. */
  readonly pendingTimers: number;
  /** Abort listeners still attached to the external signal once it ended. */
  readonly externalListeners: number;
  /** Real milliseconds the soak took. */
  readonly elapsed: number;
}

/** What every operation shares. */
interface Env {
  readonly lock: Lock;
  readonly limiter: Limiter;
  /** A signal from outside Weft, never aborted, that some operations also listen on. */
  readonly external: AbortSignal;
  readonly pool: WorkerPool | undefined;
}

type Operation = (scope: Scope, env: Env, index: number) => Promise<void>;

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`soak: ${what} gave ${a}, expected ${e}`);
}

const operations: Readonly<Record<string, Operation>> = {
  async spawn(scope) {
    const values = await gather(scope, [async () => 1, () => 2, async (s) => checkpoint(s)]);
    expectEqual(values, [1, 2, undefined], "gather");
  },
  async cancel(scope) {
    await taskGroup(scope, async (group) => {
      const task = group.spawn((s) => sleepForever(s));
      await checkpoint(scope);
      task.cancel();
      const error = await task.result.catch((caught: unknown) => caught);
      expectEqual(CancelledError.is(error), true, "task.cancel()");
    });
  },
  async deadlines(scope) {
    let inner: Scope | undefined;
    const value = await moveOnAfter(scope, 2, (outer) =>
      cancelScope(
        outer,
        async (s) => {
          inner = s;
          await sleep(10, s);
          return "late";
        },
        { timeout: 5 },
      ),
    );
    expectEqual([value, inner?.cancelledCaught], [undefined, false], "nested deadlines");
  },
  async channel(scope) {
    const channel = new Channel<number>(1);
    const received: number[] = [];
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        for (let i = 0; i < 4; i++) await channel.send(i, s);
      });
      // Not `for await`: its waits take no scope, and a cancelled group must not leave one hanging.
      for (let i = 0; i < 4; i++) received.push(await channel.receive(scope));
    });
    expectEqual(received, [0, 1, 2, 3], "channel");
  },
  async queue(scope) {
    const queue = new Queue<number>(2);
    const received: number[] = [];
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        for (let i = 0; i < 4; i++) {
          received.push(await queue.get(s));
          queue.taskDone();
        }
      });
      for (let i = 0; i < 4; i++) await queue.put(i, scope);
      await queue.join(scope);
    });
    expectEqual(received, [0, 1, 2, 3], "queue");
  },
  async select(scope) {
    const a = new Channel<string>();
    const b = new Channel<string>();
    const result = await taskGroup(scope, async (group) => {
      group.spawn((s) => b.send("b", s));
      return select(scope, { a: onReceive(a), b: onReceive(b) });
    });
    expectEqual(result, { key: "b", value: "b" }, "select");
  },
  async lock(scope, env) {
    let inside = 0;
    let most = 0;
    const enter = (s: Scope) =>
      env.lock.withLock(s, async () => {
        inside++;
        most = Math.max(most, inside);
        await checkpoint(s);
        inside--;
      });
    await gather(scope, [enter, enter, enter]);
    expectEqual(most, 1, "lock");
  },
  async limiter(scope, env) {
    const values = await gather(
      scope,
      [0, 1, 2].map(
        (k) => (s: Scope) =>
          env.limiter.run(s, async (inner) => {
            await sleep(1, inner);
            return k;
          }),
      ),
    );
    expectEqual(values, [0, 1, 2], "limiter");
  },
  async timeout(scope) {
    const error = await failAfter(scope, 1, (s) => sleep(5, s)).catch((caught: unknown) => caught);
    expectEqual(TimeoutError.is(error), true, "failAfter");
  },
  async retry(scope) {
    const attempts: number[] = [];
    const value = await retry(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 3) throw new Error(`attempt ${attempt}`);
        return "ok";
      },
      { scope, retries: 3, backoff: constant(1) },
    );
    expectEqual([value, attempts], ["ok", [1, 2, 3]], "retry");
  },
  async external(scope, env) {
    // Waits on a plain `{ signal }` from outside Weft must leave no listener behind. They are not
    // Weft waits (the harness cannot see them), so none of them waits on time.
    await checkpoint(scope);
    await env.lock.acquire({ signal: env.external });
    env.lock.release();
    const channel = new Channel<number>(1);
    await channel.send(7, { signal: env.external });
    expectEqual(await channel.receive({ signal: env.external }), 7, "external signal");
  },
  async worker(scope, env, index) {
    if (env.pool === undefined) return;
    expectEqual(
      await env.pool.run<number, number>(index, { signal: scope.signal }),
      index * index,
      "worker",
    );
  },
};

const kinds = Object.keys(operations).filter((name) => name !== "worker");

/** `globalThis.gc`, exposed at run time when node was not started with `--expose-gc`. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** A clock over the system clock that counts its pending timers. */
function countingClock(): Clock & { readonly pending: number } {
  let pending = 0;
  return {
    get pending() {
      return pending;
    },
    now: () => systemClock.now(),
    setTimer(time: number, callback: () => void): TimerHandle {
      let live = true;
      pending++;
      const handle = systemClock.setTimer(time, () => {
        if (live) {
          live = false;
          pending--;
        }
        callback();
      });
      return {
        cancel() {
          if (live) {
            live = false;
            pending--;
          }
          handle.cancel();
        },
      };
    },
  };
}

/**
 * Runs `operations` mixed operations (spawns, cancels, nested deadlines, channel, queue and select
 * traffic, locks, a limiter, timeouts, retries, waits on an outside signal, a few worker runs), a
 * `batch` at a time in one task group of one run, and measures the heap after a full GC at 10%, 50%
 * and 100%. Every operation checks its own outcome; a wrong one fails the soak.
 */
export async function soak(options: SoakOptions): Promise<SoakReport> {
  const batch = options.batch ?? 1000;
  const rounds = options.operations / batch;
  if (!Number.isInteger(rounds) || rounds < 10) {
    throw new RangeError(
      `Expected \`operations\` to be at least ten times \`batch\` (${batch}) and a multiple of it, got \`${options.operations}\``,
    );
  }
  const workerRuns = options.workerRuns ?? 0;
  const workerEvery = workerRuns === 0 ? Infinity : Math.floor(options.operations / workerRuns);
  const gc = collector();
  const counts: Record<string, number> = {};
  for (const name of Object.keys(operations)) counts[name] = 0;
  const heap: HeapSample[] = [];
  const sampleAt = new Map([
    [Math.round(rounds * 0.1), 0.1],
    [Math.round(rounds * 0.5), 0.5],
    [rounds, 1],
  ]);

  let unhandled = 0;
  const onUnhandled = (): void => {
    unhandled++;
  };
  process.on("unhandledRejection", onUnhandled);
  process.on("uncaughtException", onUnhandled);
  const controller = new AbortController();
  // Up to a batch of operations listen on it at once (and all let go): not a leak.
  setMaxListeners(Number.POSITIVE_INFINITY, controller.signal);
  const listeners = trackListeners(controller.signal);
  const started = performance.now();

  let current = 0;
  let failure: unknown;
  const body = async (root: Scope): Promise<void> => {
    // On the real clock a deadlock just empties the event loop: say where it stopped.
    const onEmptyLoop = (): void => {
      console.error(
        `soak: the event loop emptied in round ${current}; first failure: ${String(failure)}\n${formatTaskTree(taskTree(root))}`,
      );
    };
    process.on("beforeExit", onEmptyLoop);
    const pool =
      workerRuns === 0
        ? undefined
        : openWorkerPool(root, {
            filename: new URL("../fixtures/square.mjs", import.meta.url),
            minThreads: 1,
            maxThreads: 1,
            execArgv: [],
          });
    const env: Env = {
      lock: new Lock(),
      limiter: new Limiter({ concurrency: 4 }),
      external: controller.signal,
      pool,
    };
    for (let round = 1; round <= rounds; round++) {
      current = round;
      await taskGroup(root, async (group) => {
        for (let j = 0; j < batch; j++) {
          const index = (round - 1) * batch + j;
          const name =
            index % workerEvery === workerEvery - 1
              ? "worker"
              : (kinds[index % kinds.length] as string);
          counts[name] = (counts[name] ?? 0) + 1;
          const operation = operations[name] as Operation;
          group.spawn((scope) =>
            operation(scope, env, index).catch((error: unknown) => {
              failure ??= error;
              throw error;
            }),
          );
        }
      });
      const progress = sampleAt.get(round);
      if (progress !== undefined) {
        gc();
        const sample = { progress, heapUsed: process.memoryUsage().heapUsed };
        heap.push(sample);
        options.onSample?.(sample);
      }
    }
    await pool?.close();
    process.off("beforeExit", onEmptyLoop);
  };

  let pendingTimers: number;
  try {
    if (options.clock === "fake") {
      let clock: { readonly pending: number } | undefined;
      await fakeTime(
        async (context) => {
          clock = context.clock;
          await body(context.scope);
        },
        { timeout: Number(process.env.SOAK_WATCHDOG ?? 24 * 3600_000) },
      );
      pendingTimers = clock?.pending ?? Number.NaN;
    } else {
      const clock = countingClock();
      await run(body, { clock, signal: controller.signal, name: "soak" });
      pendingTimers = clock.pending;
    }
    // A rejection nobody handled is reported after a macrotask turn: give it one.
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    process.off("unhandledRejection", onUnhandled);
    process.off("uncaughtException", onUnhandled);
  }
  const externalListeners = listeners.count;
  listeners.restore();
  return {
    clock: options.clock,
    operations: options.operations,
    counts,
    heap,
    unhandled,
    pendingTimers,
    externalListeners,
    elapsed: performance.now() - started,
  };
}
