import type { RunOptions } from "@weft/core";
import { failingChild } from "./failing-child.ts";
import { handledError } from "./handled-error.ts";
import { hello } from "./hello.ts";
import type { Log } from "./log.ts";
import { offload } from "./offload.ts";
import { concurrentSayAfter } from "./say-after.ts";
import { gatheredWorkers } from "./workers.ts";

/** Every example, in the order the demo runs them. */
export const examples: readonly {
  title: string;
  run: (log: Log, options?: RunOptions) => Promise<unknown>;
}[] = [
  { title: "Hello: greet Alice, then Bob", run: hello },
  { title: "say_after: two tasks at once, ~2 s not 3", run: concurrentSayAfter },
  { title: "Workers gathered", run: gatheredWorkers },
  { title: "An error handled inside a task", run: handledError },
  { title: "A failing child cancels its siblings; a timeout", run: failingChild },
  { title: "run_in_executor: primes counted on a worker beside two sleeps", run: offload },
];
