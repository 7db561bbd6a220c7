import { VirtualClock } from "@weft/timers";
import { describe, expect, it } from "vitest";
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
} from "./workloads.mjs";

// The benchmarks compare like with like: each pair of workloads computes the same result.
describe("benchmark workloads", () => {
  it("spawn + join: Weft and Promise.all compute the same sum", async () => {
    expect(await weftSpawnJoin(1000)).toBe(499_500);
    expect(await promiseAllSpawnJoin(1000)).toBe(499_500);
    expect(await deferredRecordSpawnJoin(1000)).toBe(499_500);
    expect(await weftSpawnJoinAwaiting(1000)).toBe(1000);
    expect(await promiseAllSpawnJoinAwaiting(1000)).toBe(1000);
  });

  it("timers: VirtualClock and the hand-written heap fire in the same order", async () => {
    const expected = await fireTimers(new HandHeapClock(), 2000);
    expect(await fireTimers(new VirtualClock(), 2000)).toBe(expected);
  });

  it("sleeps: both end at the same virtual time", async () => {
    expect(await weftSequentialSleeps(500)).toBe(500);
    expect(await handSequentialSleeps(500)).toBe(500);
  });

  it("limiters: Weft, p-limit and the hand-written one run every job", async () => {
    expect(await weftLimiter(1000)).toBe(1000);
    expect(await pLimitFanOut(1000)).toBe(1000);
    expect(await handLimiter(1000)).toBe(1000);
  });

  it("autojump: 1,000 sleeps over 10 tasks end at the predicted virtual time", async () => {
    // Task t sleeps 1 + (t % 7) ms, 100 times: the slowest (t = 6) ends at 700.
    expect(await autojumpSleeps(1000, 10)).toBe(700);
  });
});
