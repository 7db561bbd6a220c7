// `pnpm demo`: runs every example on the real clock, printing what happens and when.
import { systemClock } from "@weft/core";
import { examples } from "./index.ts";
import { createLog } from "./log.ts";

const started = systemClock.now();
for (const [index, example] of examples.entries()) {
  console.log(`\n${index + 1}. ${example.title}`);
  await example.run(createLog(systemClock, (line) => console.log(`   ${line}`)));
}
console.log(
  `\nAll ${examples.length} examples ran in ${((systemClock.now() - started) / 1000).toFixed(1)} s.`,
);
