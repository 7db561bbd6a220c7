#!/usr/bin/env node
// Mutation testing of one package with Stryker and its vitest runner:
//   pnpm mutation <core|timers|channels|testing> [file …]
// With file names (relative to the package's src/, without .ts, optionally `:from-to` lines), only
// those are mutated: on a busy machine a whole package takes hours.
// One package at a time, one test process (`concurrency: 1`), incremental: a rerun tests only the
// mutants whose code or tests changed since the last run (reliability/.stryker/<package>.json).
// The HTML report lands in reliability/.stryker/<package>.html. Not part of `pnpm verify`.

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Stryker } from "@stryker-mutator/core";

const packages = ["core", "timers", "channels", "testing"];
const name = process.argv[2];
if (!packages.includes(name)) {
  console.error(`usage: pnpm mutation <${packages.join("|")}>, got \`${name}\``);
  process.exit(2);
}

const files = process.argv.slice(3);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const require = createRequire(import.meta.url);
process.env.WEFT_MUTATION_PACKAGE = name;
process.chdir(root);

const stryker = new Stryker({
  packageManager: "pnpm",
  plugins: [require.resolve("@stryker-mutator/vitest-runner")],
  testRunner: "vitest",
  vitest: { configFile: "reliability/vitest.mutation.config.ts", related: false },
  mutate: [
    ...(files.length === 0
      ? [`packages/${name}/src/**/*.ts`]
      : files.map((file) => {
          // `file:from-to` mutates only those lines.
          const [path, lines] = file.split(":");
          return `packages/${name}/src/${path}.ts${lines === undefined ? "" : `:${lines}`}`;
        })),
    "!**/*.test.ts",
    "!**/*.test-d.ts",
    "!**/*.test-support.ts",
    "!**/index.ts",
  ],
  // The sandbox holds what the package's tests read: the packages, the shared configs, this folder.
  ignorePatterns: [
    "/apps/docs/*",
    "!/apps/docs/tsconfig*.json",
    "/bench",
    "/examples",
    "/.changeset",
    "**/dist",
    "/reliability/.stryker",
  ],
  concurrency: 1,
  incremental: true,
  incrementalFile: `reliability/.stryker/${name}${files.length === 0 ? "" : `-${files.join("+").replaceAll(/[/:]/g, "_")}`}.json`,
  coverageAnalysis: "perTest",
  // A module-level mutant needs every test file re-imported: far too slow on a shared machine.
  ignoreStatic: true,
  // Tests run on virtual time, so a mutant that loops or never settles is the only one that runs
  // long: 5 s over 1.5 × its tests' dry-run time (it was 10 s; 3 s misreads slow runs under load).
  timeoutMS: 5_000,
  timeoutFactor: 1.5,
  reporters: ["clear-text", "progress", "html"],
  htmlReporter: { fileName: `reliability/.stryker/${name}.html` },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: "reliability/.stryker/tmp",
  cleanTempDir: process.env.WEFT_MUTATION_KEEP === undefined,
  logLevel: process.env.WEFT_MUTATION_LOG ?? "info",
});

const results = await stryker.runMutationTest();
const counts = { killed: 0, survived: 0, timeout: 0, noCoverage: 0, other: 0 };
for (const result of results) {
  if (result.status === "Killed") counts.killed++;
  else if (result.status === "Survived") counts.survived++;
  else if (result.status === "Timeout") counts.timeout++;
  else if (result.status === "NoCoverage") counts.noCoverage++;
  else counts.other++;
}
const detected = counts.killed + counts.timeout;
const valid = detected + counts.survived + counts.noCoverage;
const score = valid === 0 ? 0 : (100 * detected) / valid;
console.log(
  `@weft/${name}: mutation score ${score.toFixed(2)}% (${detected} detected of ${valid}: ${counts.killed} killed, ${counts.timeout} timed out, ${counts.survived} survived, ${counts.noCoverage} without coverage)`,
);
