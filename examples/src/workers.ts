// Workers gathered: three workers with different amounts of work; gather returns their results in order.
import { gather, run, type Scope } from "@weft/core";
import { sleep } from "@weft/timers";
import type { Log } from "./log.ts";

function worker(name: string, jobs: number, log: Log) {
  return async (scope: Scope): Promise<string> => {
    for (let job = 1; job <= jobs; job++) {
      await sleep(500, scope);
      log(`${name} finished job ${job}/${jobs}`);
    }
    return `${name}: ${jobs} jobs`;
  };
}

/** Gathers three workers; the slowest decides the total time (1.5 s). */
export function gatheredWorkers(
  log: Log,
  options: Parameters<typeof run>[1] = {},
): Promise<string[]> {
  return run(async (scope) => {
    const results = await gather(scope, [
      worker("A", 1, log),
      worker("B", 3, log),
      worker("C", 2, log),
    ]);
    log(`gathered ${results.join(", ")}`);
    return results;
  }, options);
}
