// asyncio's run_in_executor: a CPU-bound count of primes runs on a worker thread while two
// "downloads" sleep concurrently on the main thread; the computation blocks neither of them.
import { run, type Scope, taskGroup } from "@weft/core";
import { sleep } from "@weft/timers";
import { openWorkerPool } from "@weft/workers";
import type { Log } from "./log.ts";

const limit = 1_000_000;

/** Counts the primes below 1,000,000 on a worker beside two sleeps of 0.3 s and 0.5 s. */
export async function offloadIn(scope: Scope, log: Log): Promise<void> {
  await using pool = openWorkerPool(scope, {
    filename: new URL("./primes-task.mjs", import.meta.url),
    maxThreads: 1,
    execArgv: [], // the worker file is plain JavaScript: no source conditions of a test runner
  });
  await taskGroup(scope, async (group) => {
    for (const [name, ms] of [
      ["download A", 300],
      ["download B", 500],
    ] as const) {
      group.spawn(async (s) => {
        await sleep(ms, s);
        log(`${name} finished`);
      });
    }
    const count = await pool.run<number, number>(limit, { signal: group.scope });
    log(`worker: ${count} primes below 1,000,000`);
  });
  log("done: the sleeps ran on time while the worker computed");
}

/** {@link offloadIn} in its own run. */
export function offload(log: Log, options: Parameters<typeof run>[1] = {}): Promise<void> {
  return run((scope) => offloadIn(scope, log), options);
}
