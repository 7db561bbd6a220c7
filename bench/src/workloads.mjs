// The workloads of the benchmarks, each with its peer or hand-written baseline. `bench.test.ts`
// runs them small to check that every pair computes the same result.
import { Limiter, run, taskGroup } from "@weft/core";
import { fakeTime } from "@weft/testing";
import { sleep, VirtualClock } from "@weft/timers";
import pLimit from "p-limit";

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Spawns `n` tasks that each await once into one group and waits for them; returns the count. */
export async function weftSpawnJoinAwaiting(n) {
  let done = 0;
  const body = async () => {
    await null;
    done++;
  };
  await run(async (scope) => {
    await taskGroup(scope, async (group) => {
      for (let i = 0; i < n; i++) group.spawn(body);
    });
  });
  return done;
}

/** The same with bare promises and `Promise.all`. */
export async function promiseAllSpawnJoinAwaiting(n) {
  let done = 0;
  const body = async () => {
    await null;
    done++;
  };
  const promises = [];
  for (let i = 0; i < n; i++) promises.push(body());
  await Promise.all(promises);
  return done;
}

/** Spawns `n` trivial tasks into one group and waits for them; returns their sum. */
export async function weftSpawnJoin(n) {
  let sum = 0;
  await run(async (scope) => {
    await taskGroup(scope, async (group) => {
      for (let i = 0; i < n; i++) {
        group.spawn(async () => {
          sum += i;
        });
      }
    });
  });
  return sum;
}

/** The same with bare promises and `Promise.all`. */
export async function promiseAllSpawnJoin(n) {
  let sum = 0;
  const promises = [];
  for (let i = 0; i < n; i++) {
    promises.push(
      (async () => {
        sum += i;
      })(),
    );
  }
  await Promise.all(promises);
  return sum;
}

/**
 * The floor of any deferred start: what `spawn` must do at least when a task may not start before
 * the spawner's next `await` and must return a handle at once. Each task is a record as large as
 * Weft's (14 fields), queued in chunks of 256 and started one chunk per microtask; no scope, no
 * cancellation, no task tree. Returns the same sum as `weftSpawnJoin`.
 */
export async function deferredRecordSpawnJoin(n) {
  let sum = 0;
  let live = 0;
  let idle;
  const done = new Promise((resolve) => {
    idle = resolve;
  });
  const finished = () => {
    if (--live === 0) idle();
  };
  const chunks = [];
  const flush = () => {
    const chunk = chunks.shift();
    for (const record of chunk) {
      const fn = record.fn;
      record.fn = undefined;
      fn(record).then(finished, finished);
    }
    if (chunks.length > 0) queueMicrotask(flush);
  };
  for (let i = 0; i < n; i++) {
    const record = new DeferredRecord(async () => {
      sum += i;
    });
    live++;
    const last = chunks[chunks.length - 1];
    if (last !== undefined && last.length < 256) last.push(record);
    else {
      chunks.push([record]);
      if (chunks.length === 1) queueMicrotask(flush);
    }
  }
  await done;
  return sum;
}

/** A record with as many fields as a Weft task (see `deferredRecordSpawnJoin`). */
class DeferredRecord {
  constructor(fn) {
    this.fn = fn;
    this.f1 = undefined;
    this.f2 = undefined;
    this.f3 = undefined;
    this.f4 = undefined;
    this.f5 = undefined;
    this.f6 = undefined;
    this.f7 = undefined;
    this.f8 = undefined;
    this.f9 = undefined;
    this.f10 = undefined;
    this.f11 = undefined;
    this.f12 = undefined;
    this.f13 = undefined;
  }
}

/** A minimal virtual clock: a binary heap of (time, seq) and one macrotask turn between firings. */
export class HandHeapClock {
  #now = 0;
  #times = [];
  #seqs = [];
  #callbacks = [];
  #seq = 0;
  now() {
    return this.#now;
  }
  setTimer(time, callback) {
    const times = this.#times;
    const seqs = this.#seqs;
    const callbacks = this.#callbacks;
    const seq = this.#seq++;
    let index = times.length;
    times.push(time);
    seqs.push(seq);
    callbacks.push(callback);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (times[parent] < time || (times[parent] === time && seqs[parent] < seq)) break;
      times[index] = times[parent];
      seqs[index] = seqs[parent];
      callbacks[index] = callbacks[parent];
      index = parent;
    }
    times[index] = time;
    seqs[index] = seq;
    callbacks[index] = callback;
  }
  #shift() {
    const times = this.#times;
    const seqs = this.#seqs;
    const callbacks = this.#callbacks;
    const callback = callbacks[0];
    const lastTime = times.pop();
    const lastSeq = seqs.pop();
    const lastCallback = callbacks.pop();
    const length = times.length;
    if (length > 0) {
      let index = 0;
      for (;;) {
        let child = 2 * index + 1;
        if (child >= length) break;
        const right = child + 1;
        if (
          right < length &&
          (times[right] < times[child] ||
            (times[right] === times[child] && seqs[right] < seqs[child]))
        )
          child = right;
        if (times[child] > lastTime || (times[child] === lastTime && seqs[child] > lastSeq)) break;
        times[index] = times[child];
        seqs[index] = seqs[child];
        callbacks[index] = callbacks[child];
        index = child;
      }
      times[index] = lastTime;
      seqs[index] = lastSeq;
      callbacks[index] = lastCallback;
    }
    return callback;
  }
  async runAll() {
    await turn();
    while (this.#times.length > 0) {
      this.#now = Math.max(this.#now, this.#times[0]);
      this.#shift()();
      await turn();
    }
  }
}

/** Sets `n` timers at pseudo-random times on `clock` and fires them all; returns a checksum of the order. */
export async function fireTimers(clock, n) {
  let state = 12345;
  let checksum = 0;
  let fired = 0;
  for (let i = 0; i < n; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const time = state % (n * 10);
    clock.setTimer(time, () => {
      checksum = (checksum * 31 + time + fired++) % 1_000_000_007;
    });
  }
  await clock.runAll(n === 0 ? undefined : { limit: n });
  return checksum;
}

/** `n` sequential one-millisecond sleeps through @weft/timers on a VirtualClock driven by runAll. */
export async function weftSequentialSleeps(n) {
  const clock = new VirtualClock();
  const done = (async () => {
    for (let i = 0; i < n; i++) await sleep(1, { clock });
  })();
  await clock.runAll({ limit: n });
  await done;
  return clock.now();
}

/** The hand-written baseline: a promise around a heap timer, on the minimal clock. */
export async function handSequentialSleeps(n) {
  const clock = new HandHeapClock();
  const done = (async () => {
    for (let i = 0; i < n; i++)
      await new Promise((resolve) => clock.setTimer(clock.now() + 1, resolve));
  })();
  await clock.runAll();
  await done;
  return clock.now();
}

const job = async () => {
  await null;
  return 1;
};

/** A limit-64 fan-out of `n` jobs through Weft's Limiter; returns the total. */
export async function weftLimiter(n) {
  return run(async (scope) => {
    const limiter = new Limiter({ concurrency: 64 });
    const results = [];
    for (let i = 0; i < n; i++) results.push(limiter.run(scope, job));
    return (await Promise.all(results)).reduce((a, b) => a + b, 0);
  });
}

/** The same through p-limit. */
export async function pLimitFanOut(n) {
  const limit = pLimit(64);
  const results = [];
  for (let i = 0; i < n; i++) results.push(limit(job));
  return (await Promise.all(results)).reduce((a, b) => a + b, 0);
}

/** A hand-written limiter: a counter and an array-backed queue. */
export async function handLimiter(n) {
  let active = 0;
  const queue = [];
  let head = 0;
  const next = () => {
    if (head < queue.length && active < 64) {
      active++;
      const start = queue[head];
      queue[head++] = undefined;
      start();
    }
  };
  const limited = (fn) =>
    new Promise((resolve, reject) => {
      queue.push(() =>
        fn().then(
          (value) => {
            active--;
            resolve(value);
            next();
          },
          (error) => {
            active--;
            reject(error);
            next();
          },
        ),
      );
      next();
    });
  const results = [];
  for (let i = 0; i < n; i++) results.push(limited(job));
  return (await Promise.all(results)).reduce((a, b) => a + b, 0);
}

/** `sleeps` virtual sleeps spread over `tasks` tasks under fakeTime's autojump; returns the end time. */
export async function autojumpSleeps(sleeps, tasks) {
  return fakeTime(async ({ clock, scope }) => {
    await taskGroup(scope, async (group) => {
      for (let t = 0; t < tasks; t++) {
        group.spawn(async (s) => {
          for (let i = 0; i < sleeps / tasks; i++) await sleep(1 + (t % 7), s);
        });
      }
    });
    return clock.now();
  });
}
