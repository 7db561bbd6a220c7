// Limit-64 fan-out: n jobs that each await once, at most 64 running; every case returns the total.
import { Limiter, run } from "@weft/core";
import { Effect } from "effect";
import fastq from "fastq";
import pLimit from "p-limit";
import PQueue from "p-queue";
import { Fifo, range } from "./common.mjs";

const concurrency = 64;

const job = async () => {
  await null;
  return 1;
};

const total = async (promises) => (await Promise.all(promises)).reduce((a, b) => a + b, 0);

/** The hand-written baseline: a counter and a FIFO of waiting starts. */
function handLimiter(limit) {
  let active = 0;
  const queue = new Fifo();
  const next = () => {
    if (queue.size > 0 && active < limit) {
      active++;
      queue.shift()();
    }
  };
  const settle = () => {
    active--;
    next();
  };
  return (fn) =>
    new Promise((resolve, reject) => {
      queue.push(() =>
        fn().then(
          (value) => {
            settle();
            resolve(value);
          },
          (error) => {
            settle();
            reject(error);
          },
        ),
      );
      next();
    });
}

export const fanOut = {
  id: "fan-out",
  title: "limit-64 fan-out",
  sizes: [1e3, 1e4, 1e5, 1e6],
  subject: "weft Limiter",
  baseline: "hand-written limiter",
  // Weft's Limiter ÷ p-limit: the fan-out figure is measured against the peer users pick.
  targetAgainst: "p-limit",
  target: 0.25,
  expected: (n) => n,
  cases: {
    "weft Limiter": (n) =>
      run((scope) => {
        const limiter = new Limiter({ concurrency });
        const results = [];
        for (let i = 0; i < n; i++) results.push(limiter.run(scope, job));
        return total(results);
      }),
    "hand-written limiter": (n) => {
      const limited = handLimiter(concurrency);
      const results = [];
      for (let i = 0; i < n; i++) results.push(limited(job));
      return total(results);
    },
    "p-limit": (n) => {
      const limit = pLimit(concurrency);
      const results = [];
      for (let i = 0; i < n; i++) results.push(limit(job));
      return total(results);
    },
    "p-queue": (n) => {
      const queue = new PQueue({ concurrency });
      const results = [];
      for (let i = 0; i < n; i++) results.push(queue.add(job));
      return total(results);
    },
    fastq: (n) => {
      const queue = fastq.promise(job, concurrency);
      const results = [];
      for (let i = 0; i < n; i++) results.push(queue.push(i));
      return total(results);
    },
    "effect forEach": async (n) => {
      const results = await Effect.runPromise(
        Effect.forEach(range(n), () => Effect.promise(job), { concurrency }),
      );
      return results.reduce((a, b) => a + b, 0);
    },
  },
};
