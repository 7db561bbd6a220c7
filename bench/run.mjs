// `pnpm bench`: Weft against its peers and hand-written baselines, as ratios measured in one run.
// Run with `node --expose-gc` (the script does) so every round starts from a collected heap.
import { VirtualClock } from "@weft/timers";
import { compare, report } from "./src/measure.mjs";
import {
  autojumpSleeps,
  deferredRecordSpawnJoin,
  fireTimers,
  HandHeapClock,
  handLimiter,
  handSequentialSleeps,
  pLimitFanOut,
  promiseAllSpawnJoin,
  promiseAllSpawnJoinAwaiting,
  weftLimiter,
  weftSequentialSleeps,
  weftSpawnJoin,
  weftSpawnJoinAwaiting,
} from "./src/workloads.mjs";

const only = process.argv[2];
const results = [];

/** Measures two cases and reports the ratio of the first (the subject) to the second. */
async function versus(title, cases, target, options) {
  const [subject, baseline] = Object.keys(cases);
  results.push(report(title, await compare(cases, options), subject, baseline, target));
}

if (!only || only === "spawn") {
  const n = 100_000;
  await versus(
    "spawn + join of 100,000 tasks that each await once",
    {
      "weft taskGroup spawn + join": () => weftSpawnJoinAwaiting(n),
      "Promise.all": () => promiseAllSpawnJoinAwaiting(n),
    },
    1.5,
  );
  const medians = await compare({
    "weft taskGroup spawn + join": () => weftSpawnJoin(n),
    "Promise.all": () => promiseAllSpawnJoin(n),
    "deferred-start floor": () => deferredRecordSpawnJoin(n),
  });
  results.push(
    report(
      "spawn + join of 100,000 trivial tasks (each returns at once)",
      medians,
      "weft taskGroup spawn + join",
      "Promise.all",
      1.5,
    ),
  );
  const floor = medians["deferred-start floor"] / medians["Promise.all"];
  console.log(
    `  the floor of a deferred start (a 14-field record per task, no Weft logic) is ${floor.toFixed(2)}× Promise.all`,
  );
  // A task may not start before the spawner's next await, so the fair measure of Weft's own cost
  // for tasks that do no work is against that floor.
  results.push(
    report(
      "the same, Weft's own cost over the floor of a deferred start",
      medians,
      "weft taskGroup spawn + join",
      "deferred-start floor",
      1.5,
    ),
  );
}

if (!only || only === "timers") {
  const n = 1_000_000;
  await versus(
    "1,000,000 timers through a virtual clock",
    {
      VirtualClock: () => fireTimers(new VirtualClock(), n),
      "hand-written heap": () => fireTimers(new HandHeapClock(), n),
    },
    1.3,
    { rounds: 3, warmup: 1 },
  );
}

if (!only || only === "sleeps") {
  const n = 1_000_000;
  await versus(
    "1,000,000 sequential virtual sleeps",
    {
      "weft sleep on VirtualClock": () => weftSequentialSleeps(n),
      "hand-written promise + heap": () => handSequentialSleeps(n),
    },
    1.2,
    { rounds: 3, warmup: 1 },
  );
}

if (!only || only === "limiter") {
  const n = 100_000;
  const medians = await compare({
    "weft Limiter": () => weftLimiter(n),
    "hand-written limiter": () => handLimiter(n),
    "p-limit 7": () => pLimitFanOut(n),
  });
  results.push(
    report(
      "limit-64 fan-out of 100,000 jobs",
      medians,
      "weft Limiter",
      "hand-written limiter",
      1.25,
    ),
  );
  results.push(
    report("limit-64 fan-out of 100,000 jobs (peer)", medians, "weft Limiter", "p-limit 7", 1 / 3),
  );
}

if (!only || only === "autojump") {
  let realTimers = 0;
  const { setTimeout: realSetTimeout, setInterval: realSetInterval } = globalThis;
  globalThis.setTimeout = (...args) => {
    realTimers++;
    return realSetTimeout(...args);
  };
  globalThis.setInterval = (...args) => {
    realTimers++;
    return realSetInterval(...args);
  };
  const started = performance.now();
  const end = await autojumpSleeps(100_000, 100);
  const elapsed = performance.now() - started;
  globalThis.setTimeout = realSetTimeout;
  globalThis.setInterval = realSetInterval;
  console.log("\nautojump across 100,000 virtual sleeps spread over 100 tasks");
  console.log(
    `  real time ${elapsed.toFixed(0)} ms (target < 1000 ms), virtual time ${end} ms, real timers created: ${realTimers}`,
  );
  results.push({
    title: "autojump 100,000 sleeps",
    ratio: elapsed / 1000,
    target: 1,
    meets: elapsed < 1000 && realTimers === 0,
  });
}

console.log(`\n${results.filter((r) => r.meets).length} of ${results.length} targets met.`);
