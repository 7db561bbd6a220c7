// A failing child cancels its siblings; the group reports every failure; a timeout bounds it all.
import {
  failAfter,
  isCancellation,
  run,
  TaskGroupError,
  TimeoutError,
  taskGroup,
} from "@weft/core";
import { sleep } from "@weft/timers";
import type { Log } from "./log.ts";

/** One child fails after 0.5 s; its siblings are cancelled at once, then a `failAfter` times out. */
export function failingChild(log: Log, options: Parameters<typeof run>[1] = {}): Promise<void> {
  return run(async (scope) => {
    try {
      await taskGroup(scope, async (group) => {
        group.spawn(async (s) => {
          await sleep(500, s);
          log("validator: bad input, failing");
          throw new Error("invalid order #42");
        });
        for (const name of ["downloader", "indexer"]) {
          group.spawn(async (s) => {
            try {
              await sleep(5000, s);
              log(`${name} finished`);
            } catch (error) {
              if (isCancellation(error)) log(`${name} cancelled (${error.source})`);
              throw error;
            }
          });
        }
      });
    } catch (error) {
      if (!TaskGroupError.is(error)) throw error;
      log(`group failed: ${error.message}`);
    }

    try {
      await failAfter(scope, 1000, async (s) => {
        log("slow request: waiting 3 s with a 1 s timeout");
        await sleep(3000, s);
      });
    } catch (error) {
      if (!TimeoutError.is(error)) throw error;
      log(`timed out: ${error.message}`);
    }
  }, options);
}
