// Timeout overhead: n sequential operations, each under a 10 s timeout that never fires. Every case
// returns the checksum of the results; the child also checks that no real timer is left.
import { failAfter, run } from "@weft/core";
import { Effect } from "effect";
import { checksumOfRange, mix } from "./common.mjs";

const limit = 10_000;

const operation = async (i) => {
  await null;
  return i;
};

export const timeoutOverhead = {
  id: "timeout",
  title: "sequential operations under a timeout that never fires",
  sizes: [1e3, 1e4, 1e5, 1e6],
  subject: "weft failAfter",
  baseline: "Promise.race + clearTimeout",
  target: 0.7,
  expected: checksumOfRange,
  noTimersLeft: true,
  cases: {
    "weft failAfter": (n) =>
      run(async (scope) => {
        let sum = 0;
        for (let i = 0; i < n; i++)
          sum = mix(sum, await failAfter(scope, limit, () => operation(i)));
        return sum;
      }),
    "Promise.race + clearTimeout": async (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        let timer;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("timed out")), limit);
        });
        try {
          sum = mix(sum, await Promise.race([operation(i), timeout]));
        } finally {
          clearTimeout(timer);
        }
      }
      return sum;
    },
    "AbortController + setTimeout": async (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), limit);
        try {
          const { signal } = controller;
          const value = await operation(i);
          signal.throwIfAborted();
          sum = mix(sum, value);
        } finally {
          clearTimeout(timer);
        }
      }
      return sum;
    },
    "effect timeoutFail": (n) =>
      Effect.runPromise(
        Effect.gen(function* () {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            const value = yield* Effect.promise(() => operation(i)).pipe(
              Effect.timeoutFail({ duration: limit, onTimeout: () => new Error("timed out") }),
            );
            sum = mix(sum, value);
          }
          return sum;
        }),
      ),
  },
};
