// Fake clocks: n timers at pseudo-random due times fired in order, and n sequential 1 ms sleeps.
// Every timer case returns the order-sensitive checksum of the firings; every sleep case the end time.
import { mock } from "node:test";
import FakeTimers from "@sinonjs/fake-timers";
import { fakeTime } from "@weft/testing";
import { sleep, VirtualClock } from "@weft/timers";
import { mix, turn } from "./common.mjs";

/**
 * The hand-written baseline: a binary heap of (time, sequence) in parallel arrays. `runAll` fires in
 * order; with `turns` it waits one real macrotask after each firing (so microtasks settle, as a
 * virtual clock must let them), without it fires everything synchronously.
 */
export class HandHeapClock {
  #now = 0;
  #times = [];
  #seqs = [];
  #callbacks = [];
  #seq = 0;
  #turns;

  constructor({ turns }) {
    this.#turns = turns;
  }

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
    if (this.#turns) await turn();
    while (this.#times.length > 0) {
      this.#now = Math.max(this.#now, this.#times[0]);
      this.#shift()();
      if (this.#turns) await turn();
    }
  }
}

/** The pseudo-random due times of the timer workload (a fixed linear congruential sequence). */
function dueTimes(n) {
  const times = new Array(n);
  let state = 12345;
  for (let i = 0; i < n; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    times[i] = state % (n * 10);
  }
  return times;
}

/** The checksum of firing `times` by due time, ties in registration order. */
export function expectedFiring(n) {
  const times = dueTimes(n);
  const order = times
    .map((time, index) => [time, index])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let checksum = 0;
  order.forEach(([time], fired) => {
    checksum = mix(checksum, time + fired);
  });
  return checksum;
}

/** Sets the workload's timers through `set(time, callback)`, runs `drive()`, returns the checksum. */
async function fireTimers(n, set, drive) {
  let checksum = 0;
  let fired = 0;
  for (const time of dueTimes(n)) {
    set(time, () => {
      checksum = mix(checksum, time + fired++);
    });
  }
  await drive();
  if (fired !== n) throw new Error(`${fired} of ${n} timers fired`);
  return checksum;
}

export const fakeClockTimers = {
  id: "fake-clock",
  title: "fake clock, timers at random delays fired in order",
  sizes: [1e3, 1e4, 1e5, 1e6],
  subject: "weft VirtualClock",
  baseline: "heap, microtasks after each firing",
  target: 1.3,
  expected: expectedFiring,
  cases: {
    "weft VirtualClock": (n) => {
      const clock = new VirtualClock();
      return fireTimers(
        n,
        (time, callback) => clock.setTimer(time, callback),
        () => clock.runAll({ limit: n }),
      );
    },
    "heap, microtasks after each firing": (n) => {
      const clock = new HandHeapClock({ turns: true });
      return fireTimers(
        n,
        (time, callback) => clock.setTimer(time, callback),
        () => clock.runAll(),
      );
    },
    "heap, fired synchronously": (n) => {
      const clock = new HandHeapClock({ turns: false });
      return fireTimers(
        n,
        (time, callback) => clock.setTimer(time, callback),
        () => clock.runAll(),
      );
    },
    "sinon tick": (n) => {
      const clock = FakeTimers.createClock(0, n + 1);
      return fireTimers(
        n,
        (time, callback) => clock.setTimeout(callback, time),
        () => clock.tick(n * 10),
      );
    },
    "sinon tickAsync": (n) => {
      const clock = FakeTimers.createClock(0, n + 1);
      return fireTimers(
        n,
        (time, callback) => clock.setTimeout(callback, time),
        () => clock.tickAsync(n * 10),
      );
    },
    "node:test mock timers": async (n) => {
      mock.timers.enable({ apis: ["setTimeout"] });
      try {
        return await fireTimers(
          n,
          (time, callback) => setTimeout(callback, time),
          () => mock.timers.tick(n * 10),
        );
      } finally {
        mock.timers.reset();
      }
    },
  },
};

export const sequentialSleeps = {
  id: "sleeps",
  title: "fake clock, sequential 1 ms sleeps",
  sizes: [1e3, 1e4, 1e5, 1e6],
  subject: "weft sleep, VirtualClock",
  baseline: "promise + heap",
  target: 1.1,
  expected: (n) => n,
  cases: {
    "weft sleep, VirtualClock": async (n) => {
      const clock = new VirtualClock();
      const done = (async () => {
        for (let i = 0; i < n; i++) await sleep(1, { clock });
      })();
      await clock.runAll({ limit: n });
      await done;
      return clock.now();
    },
    "weft sleep, fakeTime autojump": (n) =>
      fakeTime(async ({ clock, scope }) => {
        for (let i = 0; i < n; i++) await sleep(1, scope);
        return clock.now();
      }),
    "promise + heap": async (n) => {
      const clock = new HandHeapClock({ turns: true });
      const done = (async () => {
        for (let i = 0; i < n; i++)
          await new Promise((resolve) => clock.setTimer(clock.now() + 1, resolve));
      })();
      await clock.runAll();
      await done;
      return clock.now();
    },
    "sinon tickAsync": async (n) => {
      const clock = FakeTimers.createClock(0, n + 1);
      const done = (async () => {
        for (let i = 0; i < n; i++) await new Promise((resolve) => clock.setTimeout(resolve, 1));
      })();
      await clock.tickAsync(n);
      await done;
      return clock.now;
    },
  },
};
