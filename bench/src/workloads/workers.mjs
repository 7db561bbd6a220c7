// Worker pools: n small runs (n ↦ n²) over 2 threads, Weft's pool against piscina used directly,
// and the time from cancel to settled for a running task that ignores its signal.
// Pools are started and warmed before the clock starts: the figure is the runs, not thread start-up.
import { run } from "@weft/core";
import { openWorkerPool } from "@weft/workers";
import { Piscina } from "piscina";

const weftFile = new URL("../worker-files/weft-tasks.mjs", import.meta.url);
const piscinaFile = new URL("../worker-files/piscina-tasks.mjs", import.meta.url).href;
const threads = { minThreads: 2, maxThreads: 2 };
const grace = 100;

const sumOfSquares = (n) => ((n - 1) * n * (2 * n - 1)) / 6;

async function roundTrips(n, runOne) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(runOne(i));
  return (await Promise.all(runs)).reduce((a, b) => a + b, 0);
}

async function timed(body) {
  const started = performance.now();
  const check = await body();
  return { check, value: performance.now() - started };
}

export const workerRoundTrips = {
  id: "workers",
  title: "worker-pool round trips over 2 threads",
  sizes: [1e3, 1e4],
  subject: "weft WorkerPool",
  baseline: "piscina",
  target: 1.15,
  expected: sumOfSquares,
  selfTimed: true,
  cases: {
    "weft WorkerPool": (n) =>
      run(async (scope) => {
        const pool = openWorkerPool(scope, { filename: weftFile, ...threads });
        await roundTrips(64, (i) => pool.run(i));
        const result = await timed(() => roundTrips(n, (i) => pool.run(i)));
        await pool.close();
        return result;
      }),
    piscina: async (n) => {
      const pool = new Piscina({ filename: piscinaFile, ...threads });
      await roundTrips(64, (i) => pool.run(i));
      const result = await timed(() => roundTrips(n, (i) => pool.run(i)));
      await pool.destroy();
      return result;
    },
  },
};

/** Starts `spin`, waits until it runs, cancels it; returns the ms from cancel to settled. */
async function cancelSpin(start) {
  const controller = new AbortController();
  const settled = start(controller.signal).then(
    () => "resolved",
    () => "rejected",
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const cancelled = performance.now();
  controller.abort();
  const outcome = await settled;
  return { outcome, ms: performance.now() - cancelled };
}

export const workerCancel = {
  id: "worker-cancel",
  title: `cancel a running worker task that ignores its signal (grace ${grace} ms)`,
  sizes: [1],
  unit: "ms from cancel to settled",
  subject: "weft WorkerPool",
  baseline: "piscina",
  targetAgainst: "grace",
  target: grace,
  expected: () => "rejected",
  selfTimed: true,
  cases: {
    "weft WorkerPool": () =>
      run(async (scope) => {
        const pool = openWorkerPool(scope, { filename: weftFile, ...threads, grace });
        await pool.run(1);
        const { outcome, ms } = await cancelSpin((signal) =>
          pool.run(undefined, { signal, name: "spin" }),
        );
        await pool.close();
        return { check: outcome, value: ms };
      }),
    piscina: async () => {
      const pool = new Piscina({ filename: piscinaFile, ...threads });
      await pool.run(1);
      const { outcome, ms } = await cancelSpin((signal) =>
        pool.run(undefined, { signal, name: "spin" }),
      );
      await pool.destroy();
      return { check: outcome, value: ms };
    },
  },
};
