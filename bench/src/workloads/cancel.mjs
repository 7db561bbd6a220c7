// Cancellation of n tasks sleeping on real timers: the set-up time (until every task sleeps), the
// time from cancel to everything settled, and the real timers left (must be 0). Every case returns
// `{ check: settled count, value: cancel ms, extra: { setupMs, timersLeft } }`.
import { liveTimers, turnsUntil } from "./common.mjs";
import { effectionSleepers, effectSleepers, handSleepers, weftSleepers } from "./sleepers.mjs";

function measure(sleepers) {
  return async (n) => {
    const timersBefore = liveTimers();
    const state = { started: 0, settled: 0 };
    const began = performance.now();
    const handle = sleepers.start(n, state);
    await turnsUntil(() => state.started === n);
    const setupMs = performance.now() - began;
    const cancelled = performance.now();
    await sleepers.cancel(handle);
    const value = performance.now() - cancelled;
    return {
      check: state.settled,
      value,
      extra: { setupMs, timersLeft: liveTimers() - timersBefore },
    };
  };
}

export const cancelSleepers = {
  id: "cancel",
  title: "cancel n tasks sleeping on real timers",
  sizes: [1e3, 1e4, 1e5],
  unit: "ms from cancel to settled",
  subject: "weft cancel scope",
  baseline: "AbortController + setTimeout",
  target: 0.45,
  expected: (n) => n,
  selfTimed: true,
  // Setting up 10⁵ sleepers on one AbortController takes minutes (Node's EventTarget checks each
  // new listener against all the others: O(n²)), so the baseline stops at 10⁴.
  maxSize: { "AbortController + setTimeout": 1e4 },
  cases: {
    "weft cancel scope": measure(weftSleepers),
    "AbortController + setTimeout": measure(handSleepers),
    "effect interrupt": measure(effectSleepers),
    "effection halt": measure(effectionSleepers),
  },
};
