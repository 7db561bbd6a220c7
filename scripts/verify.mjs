#!/usr/bin/env node
// The whole pipeline, in order, stopping at the first failure:
//   lint → typecheck → build → tests (unit, property, type) → workers browser test → bench smoke →
//   package checks →
//   docs build (API reference + @example check) → docs browser test.
// Prints each step's time, then ONE closing line `tests: N passed, M failed`, where N and M add
// vitest's counts (from its JSON report) and the browser test's counts. Exits non-zero on failure.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(tmpdir(), "weft-verify-"));
const vitestReport = join(scratch, "vitest.json");
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
};

const counts = { passed: 0, failed: 0 };

/** Runs a command, echoing its output; resolves with its exit code and captured stdout. */
function exec(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.on("error", (error) => resolve({ code: 127, stdout: `${stdout}\n${error.message}` }));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

function readVitestCounts() {
  try {
    const report = JSON.parse(readFileSync(vitestReport, "utf8"));
    return {
      passed: report.numPassedTests ?? 0,
      failed: report.numFailedTests ?? 0,
      total: report.numTotalTests ?? 0,
      suitesFailed: report.numFailedTestSuites ?? 0,
    };
  } catch {
    return undefined;
  }
}

/** A step's `after` that adds the counts of its closing line `<label>: N passed, M failed`. */
function countsOf(label) {
  return (result) => {
    const line = new RegExp(`^${label}: (\\d+) passed, (\\d+) failed$`, "gm");
    const last = [...result.stdout.matchAll(line)].at(-1);
    if (last === undefined) return `the step printed no \`${label}: N passed, M failed\``;
    counts.passed += Number(last[1]);
    counts.failed += Number(last[2]);
    return undefined;
  };
}

const steps = [
  { name: "lint", command: "pnpm", args: ["run", "lint"] },
  { name: "typecheck", command: "pnpm", args: ["run", "typecheck"] },
  { name: "build", command: "pnpm", args: ["run", "build"] },
  {
    name: "test",
    command: "pnpm",
    args: [
      "exec",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${vitestReport}`,
    ],
    after(result) {
      const vitest = readVitestCounts();
      if (vitest === undefined) return "vitest wrote no JSON report";
      counts.passed += vitest.passed;
      counts.failed += vitest.failed;
      if (result.code === 0 && vitest.total === 0) return "vitest ran no test";
      if (result.code === 0 && vitest.suitesFailed > 0) {
        return `${vitest.suitesFailed} test files failed`;
      }
      return undefined;
    },
  },
  {
    name: "workers:browser",
    command: "pnpm",
    args: ["--filter", "@weft/workers", "run", "test:browser"],
    after: countsOf("workers browser"),
  },
  // Every benchmark case once at a small size: checks their results, asserts no timing.
  { name: "bench:quick", command: "node", args: ["--expose-gc", "bench/run.mjs", "--quick"] },
  { name: "check:packages", command: "pnpm", args: ["run", "check:packages"] },
  { name: "docs:build", command: "pnpm", args: ["run", "docs:build"] },
  {
    name: "docs:test",
    command: "pnpm",
    args: ["run", "docs:test"],
    after(result) {
      const matches = [...result.stdout.matchAll(/^browser: (\d+) passed, (\d+) failed$/gm)];
      const last = matches.at(-1);
      if (last === undefined) return "the browser test printed no `browser: N passed, M failed`";
      counts.passed += Number(last[1]);
      counts.failed += Number(last[2]);
      return undefined;
    },
  },
];

const timings = [];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
let failure;
const started = performance.now();

for (const step of steps) {
  console.log(`\n▶ ${step.name}: ${step.command} ${step.args.join(" ")}`);
  const stepStarted = performance.now();
  const result = await exec(step.command, step.args);
  const problem = step.after?.(result);
  const ms = performance.now() - stepStarted;
  const ok = result.code === 0 && problem === undefined;
  timings.push({ name: step.name, ms, ok });
  if (!ok) {
    failure = `${step.name} failed${result.code === 0 ? "" : ` (exit ${result.code})`}${
      problem === undefined ? "" : `: ${problem}`
    }`;
    break;
  }
  console.log(`✓ ${step.name} (${seconds(ms)})`);
}

rmSync(scratch, { recursive: true, force: true });

console.log("\nverify timings:");
for (const { name, ms, ok } of timings) {
  console.log(`  ${ok ? "✓" : "✗"} ${name.padEnd(16)} ${seconds(ms).padStart(8)}`);
}
for (const step of steps.slice(timings.length)) console.log(`  - ${step.name.padEnd(16)} skipped`);
console.log(`  ${"total".padEnd(18)} ${seconds(performance.now() - started).padStart(8)}`);

if (failure !== undefined) {
  console.error(`\nverify: ${failure}`);
  process.exitCode = 1;
}
if (failure !== undefined && counts.failed === 0) counts.failed = 1;
console.log(`tests: ${counts.passed} passed, ${counts.failed} failed`);
