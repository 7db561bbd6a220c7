import { CancelledError, taskGroup } from "@weft/core";
import { fakeTime } from "@weft/testing";
import { sleep } from "@weft/timers";
import { describe, expect, it } from "vitest";
import { openWorkerPool, type WorkerPool } from "./index.ts";

// Real workers under the fake clock: the fixture loads the built package (see worker-pool.test.ts).
const filename = new URL("../test/fixtures/tasks.mjs", import.meta.url);
const execArgv: string[] = [];

/** Waits in real time (a foreign wait: virtual time holds still) until a run has started. */
async function untilRunning(pool: WorkerPool): Promise<void> {
  while (pool.running === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("WorkerPool under fakeTime", () => {
  it("holds virtual time still while a worker runs, so the order is deterministic", async () => {
    const order = await fakeTime(async ({ clock, scope }) => {
      await using pool = openWorkerPool(scope, { filename, execArgv, maxThreads: 1 });
      const seen: string[] = [];
      await taskGroup(scope, async (group) => {
        group.spawn(async (s) => {
          await sleep(10, s);
          seen.push(`slept 10 ms, at ${clock.now()}`);
        });
        group.spawn(async (s) => {
          // 60 real ms in the worker; no virtual time passes meanwhile.
          const waited = await pool.run<number, number>(60, { name: "wait", signal: s });
          seen.push(`worker waited ${waited} ms, at ${clock.now()}`);
          await sleep(5, s);
          seen.push(`slept 5 ms more, at ${clock.now()}`);
        });
      });
      return seen;
    });
    expect(order).toEqual([
      "worker waited 60 ms, at 0",
      "slept 5 ms more, at 5",
      "slept 10 ms, at 10",
    ]);
  });

  it("measures `grace` on the scope's clock and clears the timer when it fires", async () => {
    await fakeTime(async ({ clock, scope }) => {
      await using pool = openWorkerPool(scope, { filename, execArgv, maxThreads: 1, grace: 5000 });
      const controller = new AbortController();
      const spinning = pool.run(0, { name: "spin", signal: controller.signal }).catch((e) => e);
      await untilRunning(pool);
      const pendingBefore = clock.pending;
      const reason = new CancelledError("stop");
      controller.abort(reason);
      expect(clock.pending).toBe(pendingBefore + 1);
      await clock.advance(4999);
      expect([pool.running, clock.pending]).toEqual([1, pendingBefore + 1]);
      await clock.advance(1);
      expect(await spinning).toBe(reason);
      expect([clock.now(), clock.pending, pool.running]).toEqual([5000, pendingBefore, 0]);
    });
  });

  it("cancels the grace timer of a task that stops cooperatively", async () => {
    await fakeTime(async ({ clock, scope }) => {
      await using pool = openWorkerPool(scope, { filename, execArgv, maxThreads: 1, grace: 5000 });
      const controller = new AbortController();
      const running = pool.run(0, { name: "cooperative", signal: controller.signal });
      await untilRunning(pool);
      const pendingBefore = clock.pending;
      controller.abort("stop");
      expect(clock.pending).toBe(pendingBefore + 1);
      await expect(running).rejects.toBe("stop");
      expect([clock.now(), clock.pending]).toEqual([0, pendingBefore]);
    });
  });
});
