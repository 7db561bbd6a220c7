// Spawn + join: n tasks started together and awaited together.
import { run, taskGroup } from "@weft/core";
import { Effect } from "effect";
import { call, run as effectionRun, spawn } from "effection";
import { range } from "./common.mjs";

const sizes = [1e3, 1e4, 1e5, 1e6];

/** Tasks that each await once; every case returns how many finished. */
export const spawnAwaiting = {
  id: "spawn-await",
  title: "spawn + join, tasks that await once",
  sizes,
  subject: "weft taskGroup",
  baseline: "Promise.all",
  target: 1.1,
  expected: (n) => n,
  cases: {
    "weft taskGroup": async (n) => {
      let done = 0;
      const body = async () => {
        await null;
        done++;
      };
      await run((scope) =>
        taskGroup(scope, async (group) => {
          for (let i = 0; i < n; i++) group.spawn(body);
        }),
      );
      return done;
    },
    "Promise.all": async (n) => {
      let done = 0;
      const body = async () => {
        await null;
        done++;
      };
      const promises = [];
      for (let i = 0; i < n; i++) promises.push(body());
      await Promise.all(promises);
      return done;
    },
    "effect forEach": async (n) => {
      let done = 0;
      const body = Effect.zipRight(
        Effect.yieldNow(),
        Effect.sync(() => {
          done++;
        }),
      );
      await Effect.runPromise(
        Effect.forEach(range(n), () => body, { concurrency: "unbounded", discard: true }),
      );
      return done;
    },
    "effection spawn": async (n) => {
      let done = 0;
      const ready = () => Promise.resolve();
      await effectionRun(function* () {
        const tasks = [];
        for (let i = 0; i < n; i++) {
          tasks.push(
            yield* spawn(function* () {
              yield* call(ready);
              done++;
            }),
          );
        }
        for (const task of tasks) yield* task;
      });
      return done;
    },
  },
};

/** Tasks that return at once; every case returns the sum of the task indices. */
export const spawnTrivial = {
  id: "spawn-trivial",
  title: "spawn + join, trivial tasks",
  sizes,
  subject: "weft taskGroup",
  baseline: "Promise.all",
  target: 1.5,
  expected: (n) => (n * (n - 1)) / 2,
  cases: {
    "weft taskGroup": async (n) => {
      let sum = 0;
      await run((scope) =>
        taskGroup(scope, async (group) => {
          for (let i = 0; i < n; i++) {
            group.spawn(async () => {
              sum += i;
            });
          }
        }),
      );
      return sum;
    },
    "Promise.all": async (n) => {
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
    },
    "effect forEach": async (n) => {
      let sum = 0;
      await Effect.runPromise(
        Effect.forEach(
          range(n),
          (i) =>
            Effect.sync(() => {
              sum += i;
            }),
          { concurrency: "unbounded", discard: true },
        ),
      );
      return sum;
    },
    "effection spawn": async (n) => {
      let sum = 0;
      await effectionRun(function* () {
        const tasks = [];
        for (let i = 0; i < n; i++) {
          tasks.push(
            // biome-ignore lint/correctness/useYield: a trivial task does no work
            yield* spawn(function* () {
              sum += i;
            }),
          );
        }
        for (const task of tasks) yield* task;
      });
      return sum;
    },
  },
};
