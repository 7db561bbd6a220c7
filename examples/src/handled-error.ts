// An error handled inside a task does not disturb its siblings or the group.
import { run, taskGroup } from "@weft/core";
import { sleep } from "@weft/timers";
import type { Log } from "./log.ts";

/** One task catches its own failure and recovers; the other finishes normally. */
export function handledError(log: Log, options: Parameters<typeof run>[1] = {}): Promise<void> {
  return run(async (scope) => {
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        try {
          await sleep(300, s);
          throw new Error("disk full");
        } catch (error) {
          log(`fetcher recovered from: ${(error as Error).message}`);
          return "fallback";
        }
      });
      group.spawn(async (s) => {
        await sleep(600, s);
        log("printer finished");
      });
    });
    log("group finished without error");
  }, options);
}
