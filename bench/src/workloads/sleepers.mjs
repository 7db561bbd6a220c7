// n tasks asleep on real timers (60 s) in each library, started together and cancelled together:
// shared by the cancellation and memory workloads. `start(state)` counts each task in
// `state.started` as it begins to sleep and in `state.settled` as it ends; `cancel(handle)` cancels
// them all and resolves once every one has settled.
import { setMaxListeners } from "node:events";
import { cancelScope, run, taskGroup } from "@weft/core";
import { sleep } from "@weft/timers";
import { Effect, Fiber } from "effect";
import { run as effectionRun, sleep as effectionSleep, spawn, suspend } from "effection";
import { range } from "./common.mjs";

const long = 60_000;

export const weftSleepers = {
  start(n, state) {
    let inner;
    const done = run((root) =>
      cancelScope(root, (scope) => {
        inner = scope;
        return taskGroup(scope, async (group) => {
          for (let i = 0; i < n; i++) {
            group.spawn(async (task) => {
              state.started++;
              try {
                await sleep(long, task);
              } finally {
                state.settled++;
              }
            });
          }
        });
      }),
    );
    return { done, cancel: () => inner.cancel() };
  },
  async cancel({ done, cancel }) {
    cancel();
    await done;
  },
};

export const handSleepers = {
  start(n, state) {
    const controller = new AbortController();
    const { signal } = controller;
    setMaxListeners(n + 1, signal);
    const sleepers = [];
    for (let i = 0; i < n; i++) {
      sleepers.push(
        new Promise((resolve, reject) => {
          state.started++;
          const onAbort = () => {
            clearTimeout(timer);
            reject(signal.reason);
          };
          const timer = setTimeout(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
          }, long);
          signal.addEventListener("abort", onAbort, { once: true });
        }).finally(() => {
          state.settled++;
        }),
      );
    }
    return { controller, all: Promise.allSettled(sleepers) };
  },
  async cancel({ controller, all }) {
    controller.abort();
    await all;
  },
};

export const effectSleepers = {
  start: (n, state) =>
    Effect.runFork(
      Effect.forEach(
        range(n),
        () =>
          Effect.sync(() => {
            state.started++;
          }).pipe(
            Effect.zipRight(Effect.sleep(long)),
            Effect.ensuring(
              Effect.sync(() => {
                state.settled++;
              }),
            ),
          ),
        { concurrency: "unbounded", discard: true },
      ),
    ),
  cancel: (fiber) => Effect.runPromise(Fiber.interrupt(fiber)),
};

export const effectionSleepers = {
  start: (n, state) =>
    effectionRun(function* () {
      for (let i = 0; i < n; i++) {
        yield* spawn(function* () {
          state.started++;
          try {
            yield* effectionSleep(long);
          } finally {
            state.settled++;
          }
        });
      }
      yield* suspend();
    }),
  cancel: (task) => task.halt(),
};
