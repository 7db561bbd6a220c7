import { Channel } from "@weft/channels";
import {
  CancelledError,
  type Clock,
  cancelScope,
  checkpoint,
  failAfter,
  gather,
  Lock,
  moveOnAfter,
  observeTasks,
  run,
  type Scope,
  Semaphore,
  type TaskEvent,
  TaskGroupError,
  taskGroup,
  taskStats,
} from "@weft/core";
import { macrotask } from "@weft/core/internal";
import { fakeTime, trackListeners } from "@weft/testing";
import { constant, retry, sleep, timeoutSignal, VirtualClock } from "@weft/timers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// Weft reports an error it cannot hand to anyone (a callback of the user's that threw) as an
// uncaught exception, thrown from a fresh microtask. These tests catch those instead of the runner.
let uncaught: unknown[] = [];
let runnerListeners: NodeJS.UncaughtExceptionListener[] = [];
const collect = (error: unknown): void => {
  uncaught.push(error);
};

beforeEach(() => {
  uncaught = [];
  runnerListeners = process.listeners("uncaughtException");
  process.removeAllListeners("uncaughtException");
  process.on("uncaughtException", collect);
});

afterEach(() => {
  process.off("uncaughtException", collect);
  for (const listener of runnerListeners) process.on("uncaughtException", listener);
});

/** Lets the microtasks that report errors run. */
async function reported(): Promise<unknown[]> {
  await macrotask();
  return uncaught;
}

describe("a throwing onUndelivered", () => {
  it("is reported once per dropped item and leaves the buffer as it was", async () => {
    const dropped: number[] = [];
    const errors = [new Error("undelivered 2"), new Error("undelivered 3")];
    const channel = new Channel<number>({
      capacity: 1,
      overflow: "drop-newest",
      onUndelivered(item) {
        dropped.push(item);
        throw errors[item - 2];
      },
    });
    expect(channel.trySend(1)).toBe(true);
    channel.trySend(2);
    channel.trySend(3);
    expect(dropped).toEqual([2, 3]);
    expect(channel.size).toBe(1);
    expect(channel.tryReceive()).toEqual({ ok: true, value: 1 });
    expect(channel.tryReceive()).toEqual({ ok: false });
    expect(await reported()).toEqual(errors);
  });

  it("is reported for each item close(error) discards, and the channel still closes", async () => {
    const boom = new Error("callback");
    const dropped: string[] = [];
    const channel = new Channel<string>({
      capacity: 3,
      onUndelivered(item) {
        dropped.push(item);
        throw boom;
      },
    });
    channel.trySend("a");
    channel.trySend("b");
    const failure = new Error("closed with an error");
    channel.close(failure);
    expect(dropped).toEqual(["a", "b"]);
    expect(channel.closed).toBe(true);
    expect(channel.size).toBe(0);
    expect(channel.trySend("c")).toBe(false);
    expect(await channel.receive().catch((caught: unknown) => caught)).toBe(failure);
    expect(await reported()).toEqual([boom, boom]);
  });
});

describe("a throwing task observer", () => {
  it("is reported at each event while the run goes on undisturbed, and stops with its stop()", async () => {
    const boom = new Error("observer");
    const types: TaskEvent["type"][] = [];
    const result = await fakeTime(async ({ scope, clock }) => {
      const stop = observeTasks(scope, (event) => {
        types.push(event.type);
        throw boom;
      });
      const values = await gather(scope, [
        async () => 1,
        async (s) => {
          await sleep(5, s);
          return 2;
        },
      ]);
      stop();
      const seen = types.length;
      const later = await gather(scope, [async () => 3]);
      return { values, later, seen, now: clock.now(), stats: taskStats(scope) };
    });
    expect(result.values).toEqual([1, 2]);
    expect(result.later).toEqual([3]);
    expect(result.now).toBe(5);
    expect(types.length).toBe(result.seen);
    expect(types.filter((type) => type === "spawned")).toHaveLength(2);
    expect(types.filter((type) => type === "finished")).toHaveLength(2);
    expect(result.stats).toEqual({ live: 1, blocked: 0, joins: 0 });
    const errors = await reported();
    expect(errors).toHaveLength(result.seen);
    expect(errors.every((error) => error === boom)).toBe(true);
  });
});

describe("a clock whose setTimer throws", () => {
  const broken = new Error("setTimer is broken");
  const brokenClock: Clock = {
    now: () => 0,
    setTimer() {
      throw broken;
    },
  };

  it("rejects a scope's sleep with the clock's error and leaves the task unblocked", async () => {
    const outcome = await run(
      async (scope) => {
        const error = await sleep(10, scope).catch((caught: unknown) => caught);
        await checkpoint(scope);
        return { error, stats: taskStats(scope) };
      },
      { clock: brokenClock },
    );
    expect(outcome.error).toBe(broken);
    expect(outcome.stats).toEqual({ live: 1, blocked: 0, joins: 0 });
  });

  it("rejects a plain-signal sleep and retry's backoff with it, leaving no listener", async () => {
    const controller = new AbortController();
    const listeners = trackListeners(controller.signal);
    const options = { clock: brokenClock, signal: controller.signal };
    expect(await sleep(10, options).catch((caught: unknown) => caught)).toBe(broken);
    const attempts: number[] = [];
    const retried = retry(
      async (attempt) => {
        attempts.push(attempt);
        throw new Error(`attempt ${attempt}`);
      },
      { ...options, backoff: constant(5) },
    );
    expect(await retried.catch((caught: unknown) => caught)).toBe(broken);
    expect(attempts).toEqual([1]);
    expect(() => timeoutSignal(10, options)).toThrow(broken);
    expect(listeners.count).toBe(0);
    listeners.restore();
  });

  it("rejects a timeout scope with it, and the run goes on", async () => {
    const steps: string[] = [];
    const value = await run(
      async (scope) => {
        const error = await failAfter(scope, 5, async () => {
          steps.push("body");
        }).catch((caught: unknown) => caught);
        steps.push(error === broken ? "rejected with the clock's error" : String(error));
        await checkpoint(scope);
        return "done";
      },
      { clock: brokenClock },
    );
    expect(steps).toEqual(["rejected with the clock's error"]);
    expect(value).toBe("done");
  });

  it("throws from the deadline setter, and a later deadline on a working clock still fires", async () => {
    const clock = new VirtualClock();
    let failNext = true;
    const flaky: Clock = {
      now: () => clock.now(),
      setTimer(time, callback) {
        if (failNext) {
          failNext = false;
          throw broken;
        }
        return clock.setTimer(time, callback);
      },
    };
    const promise = run(
      (scope) =>
        cancelScope(scope, async (inner) => {
          expect(() => {
            inner.deadline = 5;
          }).toThrow(broken);
          inner.deadline = 7;
          await sleep(100, inner);
          return "not reached";
        }),
      { clock: flaky },
    );
    await clock.runAll();
    expect(await promise).toBe(undefined);
    expect(clock.now()).toBe(7);
    expect(clock.pending).toBe(0);
  });
  it("keeps a scope's previous deadline, still armed, when rescheduling it throws", async () => {
    const clock = new VirtualClock();
    let failNext = false;
    const flaky: Clock = {
      now: () => clock.now(),
      setTimer(time, callback) {
        if (failNext) {
          failNext = false;
          throw broken;
        }
        return clock.setTimer(time, callback);
      },
    };
    const promise = run(
      (scope) =>
        cancelScope(scope, async (inner) => {
          inner.deadline = 5;
          failNext = true;
          expect(() => {
            inner.deadline = 9;
          }).toThrow(broken);
          expect(inner.deadline).toBe(5);
          await sleep(100, inner);
          return "not reached";
        }),
      { clock: flaky },
    );
    await clock.runAll();
    expect(await promise).toBe(undefined);
    expect(clock.now()).toBe(5);
    expect(clock.pending).toBe(0);
  });
});

describe("a late clock that runs due timers out of order", () => {
  it("still lets the outer of two passed deadlines win, as on time", async () => {
    // A busy real clock: time has passed both deadlines before either timer runs, and the inner
    // one's timer runs first, with a continuation between it and the outer one's.
    let now = 0;
    const timers: { time: number; callback: () => void }[] = [];
    const late: Clock = {
      now: () => now,
      setTimer(time, callback) {
        const timer = {
          time,
          callback: () => {
            timers.splice(timers.indexOf(timer), 1);
            callback();
          },
        };
        timers.push(timer);
        return { cancel: () => void timers.splice(timers.indexOf(timer), 1) };
      },
    };
    const seen: Scope[] = [];
    const value = await run(
      (scope) =>
        moveOnAfter(scope, 2, (outer) =>
          cancelScope(
            outer,
            async (inner) => {
              seen.push(outer, inner);
              queueMicrotask(() => {
                now = 10;
                // Only the inner deadline's timer runs while the body sleeps.
                timers.find((timer) => timer.time === 5)?.callback();
              });
              await sleep(100, inner);
              return "not reached";
            },
            { timeout: 5 },
          ),
        ),
      { clock: late },
    );
    const [outer, inner] = seen as [Scope, Scope];
    expect(value).toBe(undefined);
    expect([outer.cancelledCaught, inner.cancelledCaught]).toEqual([true, false]);
    expect(timers).toEqual([]);
  });
});

describe("a clock that moves on while a scope opens", () => {
  it("lets an outer deadline that passed first win over an inner one already due", async () => {
    // A descheduled process: between the inner scope computing its deadline from now() and
    // checking it against now(), time passes both its own deadline and the outer one.
    let armed = false;
    let readsSinceArmed = 0;
    const stalling: Clock = {
      now: () => (armed && readsSinceArmed++ > 0 ? 10 : 0),
      setTimer() {
        armed = true;
        return { cancel() {} };
      },
    };
    const seen: Scope[] = [];
    const value = await run(
      (scope) =>
        moveOnAfter(scope, 2, (outer) =>
          cancelScope(
            outer,
            async (inner) => {
              seen.push(outer, inner);
              await sleep(100, inner);
              return "not reached";
            },
            { timeout: 5 },
          ),
        ),
      { clock: stalling },
    );
    const [outer, inner] = seen as [Scope, Scope];
    expect(value).toBe(undefined);
    expect([outer.cancelledCaught, inner.cancelledCaught]).toEqual([true, false]);
  });
});

describe("an AbortSignal aborted with an odd reason", () => {
  const reasons: [string, () => unknown][] = [
    ["undefined", () => undefined],
    ["a string", () => "stop"],
    ["a frozen object", () => Object.freeze({ code: 42 })],
  ];

  for (const [label, make] of reasons) {
    it(`cancels a run with ${label}: source signal, the signal's reason, nothing left`, async () => {
      const clock = new VirtualClock();
      const controller = new AbortController();
      const listeners = trackListeners(controller.signal);
      const promise = run(
        async (scope) => {
          queueMicrotask(() => controller.abort(make()));
          await sleep(1000, scope);
        },
        { clock, signal: controller.signal },
      );
      const error = await promise.catch((caught: unknown) => caught);
      expect(CancelledError.is(error)).toBe(true);
      expect((error as CancelledError).source).toBe("signal");
      expect((error as CancelledError).reason).toBe(controller.signal.reason);
      expect(clock.pending).toBe(0);
      expect(listeners.count).toBe(0);
      listeners.restore();
    });

    it(`rejects plain-signal waits with ${label} itself, and the primitives lose nothing`, async () => {
      const clock = new VirtualClock();
      const controller = new AbortController();
      const signal = controller.signal;
      const listeners = trackListeners(signal);
      const channel = new Channel<number>();
      const full = new Channel<number>(1);
      full.trySend(0);
      const lock = new Lock();
      const semaphore = new Semaphore(1);
      await lock.acquire();
      await semaphore.acquire();
      const waits = [
        sleep(1000, { clock, signal }),
        channel.receive({ signal }),
        full.send(1, { signal }),
        lock.acquire({ signal }),
        semaphore.acquire({ signal }),
      ].map((wait) => wait.catch((caught: unknown) => caught));
      controller.abort(make());
      const errors = await Promise.all(waits);
      expect(errors.map((error) => error === signal.reason)).toEqual([
        true,
        true,
        true,
        true,
        true,
      ]);
      expect(channel.trySend(2)).toBe(false);
      expect(full.tryReceive()).toEqual({ ok: true, value: 0 });
      expect(full.tryReceive()).toEqual({ ok: false });
      lock.release();
      expect(lock.locked).toBe(false);
      semaphore.release();
      expect(semaphore.value).toBe(1);
      expect(clock.pending).toBe(0);
      expect(listeners.count).toBe(0);
      listeners.restore();
    });

    it(`carries ${label} given to cancel() and thrown by a child exactly`, async () => {
      const reason = make();
      const outcome = await fakeTime(async ({ scope }) => {
        let caught = false;
        await cancelScope(scope, async (inner) => {
          inner.cancel(reason);
          await checkpoint(inner).catch((error: unknown) => {
            caught = CancelledError.is(error) && error.reason === reason;
            throw error;
          });
        });
        const failure = await taskGroup(scope, async (group) => {
          const task = group.spawn((s) => sleep(10, s));
          task.cancel(reason);
          const cancelled = await task.result.catch((error: unknown) => error);
          group.spawn(async () => {
            throw reason;
          });
          return cancelled;
        }).catch((error: unknown) => error);
        return { caught, failure };
      });
      expect(outcome.caught).toBe(true);
      expect(TaskGroupError.is(outcome.failure)).toBe(true);
      expect((outcome.failure as TaskGroupError).errors).toEqual([reason]);
      expect((outcome.failure as TaskGroupError).errors[0]).toBe(reason);
    });
  }
});
