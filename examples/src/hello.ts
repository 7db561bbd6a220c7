// asyncio's first example: greet Alice, then Bob, one second apart.
import { run, type Scope } from "@weft/core";
import { sleep } from "@weft/timers";
import type { Log } from "./log.ts";

async function greet(scope: Scope, name: string, log: Log): Promise<void> {
  log(`hello ${name}`);
  await sleep(1000, scope);
  log(`goodbye ${name}`);
}

/** Runs two greetings one after the other: two seconds in all. */
export function hello(log: Log, options: Parameters<typeof run>[1] = {}): Promise<void> {
  return run(async (scope) => {
    await greet(scope, "Alice", log);
    await greet(scope, "Bob", log);
  }, options);
}
