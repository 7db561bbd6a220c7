// Memory per live sleeping task: n tasks asleep on real timers, the JS heap grown per task after a
// full collection; then all are cancelled and must settle with no real timer left. Every case
// returns `{ check: settled count, value: bytes per task, extra: { timersLeft } }`.
import { liveTimers, turnsUntil } from "./common.mjs";
import { effectionSleepers, effectSleepers, handSleepers, weftSleepers } from "./sleepers.mjs";

function heapUsed() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

function measure(sleepers) {
  return async (n) => {
    const timersBefore = liveTimers();
    const state = { started: 0, settled: 0 };
    const before = heapUsed();
    const handle = sleepers.start(n, state);
    await turnsUntil(() => state.started === n);
    const value = (heapUsed() - before) / n;
    await sleepers.cancel(handle);
    return { check: state.settled, value, extra: { timersLeft: liveTimers() - timersBefore } };
  };
}

export const sleepingMemory = {
  id: "memory",
  title: "memory per live sleeping task",
  // Per-task memory is flat in n; 10⁵ would spend minutes setting up the hand-written baseline
  // (Node's EventTarget checks each new listener against all the others: O(n²) in all).
  sizes: [1e3, 1e4],
  unit: "bytes per task",
  subject: "weft task",
  baseline: "AbortController + setTimeout",
  // Weft's bytes per task ÷ the fewest bytes among the peers (effect, effection).
  targetAgainst: "best peer",
  target: 1,
  expected: (n) => n,
  selfTimed: true,
  cases: {
    "weft task": measure(weftSleepers),
    "AbortController + setTimeout": measure(handSleepers),
    "effect fiber": measure(effectSleepers),
    "effection task": measure(effectionSleepers),
  },
};
