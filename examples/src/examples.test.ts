import { fakeTime } from "@weft/testing";
import { VirtualClock } from "@weft/timers";
import { describe, expect, it } from "vitest";
import { examples } from "./index.ts";
import { createLog } from "./log.ts";
import { offloadIn } from "./offload.ts";

async function replay(index: number): Promise<readonly string[]> {
  const clock = new VirtualClock();
  const log = createLog(clock, () => {});
  const example = examples[index];
  if (example === undefined) throw new RangeError(`no example ${index}`);
  const done = example.run(log, { clock });
  await clock.runAll();
  await done;
  expect(clock.pending).toBe(0);
  return log.lines;
}

describe("examples", () => {
  it("greets Alice, then Bob, in two seconds", async () => {
    expect(await replay(0)).toEqual([
      "[0.00s] hello Alice",
      "[1.00s] goodbye Alice",
      "[1.00s] hello Bob",
      "[2.00s] goodbye Bob",
    ]);
  });

  it("runs say_after's two tasks concurrently: two seconds, not three", async () => {
    expect(await replay(1)).toEqual([
      "[0.00s] started",
      "[1.00s] hello",
      "[2.00s] world",
      "[2.00s] finished: both ran at once",
    ]);
  });

  it("gathers workers' results in input order while the slowest sets the time", async () => {
    expect(await replay(2)).toEqual([
      "[0.50s] A finished job 1/1",
      "[0.50s] B finished job 1/3",
      "[0.50s] C finished job 1/2",
      "[1.00s] B finished job 2/3",
      "[1.00s] C finished job 2/2",
      "[1.50s] B finished job 3/3",
      "[1.50s] gathered A: 1 jobs, B: 3 jobs, C: 2 jobs",
    ]);
  });

  it("keeps an error handled inside a task from failing the group", async () => {
    expect(await replay(3)).toEqual([
      "[0.30s] fetcher recovered from: disk full",
      "[0.60s] printer finished",
      "[0.60s] group finished without error",
    ]);
  });

  it("cancels the siblings of a failing child at once, then times out a slow request", async () => {
    expect(await replay(4)).toEqual([
      "[0.50s] validator: bad input, failing",
      "[0.50s] downloader cancelled (failure)",
      "[0.50s] indexer cancelled (failure)",
      "[0.50s] group failed: 1 task failed: Error: invalid order #42",
      "[0.50s] slow request: waiting 3 s with a 1 s timeout",
      "[1.50s] timed out: failAfter(1000) timed out",
    ]);
  });

  it("offloads a CPU-bound count to a worker while the sleeps beside it go on", async () => {
    // Real worker threads (the worker file loads the built @weft/workers); under fakeTime the
    // worker holds virtual time still, so its result comes first, at 0 s, every time.
    const lines = await fakeTime(async ({ clock, scope }) => {
      const log = createLog(clock, () => {});
      await offloadIn(scope, log);
      expect(clock.pending).toBe(0);
      return log.lines;
    });
    expect(lines).toEqual([
      "[0.00s] worker: 78498 primes below 1,000,000",
      "[0.30s] download A finished",
      "[0.50s] download B finished",
      "[0.50s] done: the sleeps ran on time while the worker computed",
    ]);
  });
});
