// asyncio's say_after: two tasks sleeping 1 s and 2 s run concurrently, so the whole takes ~2 s, not 3.
import { run, type Scope, taskGroup } from "@weft/core";
import { sleep } from "@weft/timers";
import type { Log } from "./log.ts";

async function sayAfter(scope: Scope, ms: number, what: string, log: Log): Promise<void> {
  await sleep(ms, scope);
  log(what);
}

/** Spawns both tasks into one group; the group waits for both. */
export function concurrentSayAfter(
  log: Log,
  options: Parameters<typeof run>[1] = {},
): Promise<void> {
  return run(async (scope) => {
    log("started");
    await taskGroup(scope, async (group) => {
      group.spawn((s) => sayAfter(s, 1000, "hello", log));
      group.spawn((s) => sayAfter(s, 2000, "world", log));
    });
    log("finished: both ran at once");
  }, options);
}
