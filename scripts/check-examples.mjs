#!/usr/bin/env node
// Runs every ```ts block found under an `@example` tag of a TSDoc comment in
// packages/*/src/**/*.ts (test files excluded) against the BUILT packages.
//
// Each example is type-checked (strict, against the packages' dist/*.d.ts), transpiled with
// esbuild and run under a 10 s real-time limit: with node, or, when it imports "vitest" or
// "@weft/testing/vitest" (an example of a test), as a test file of one `vitest run`. Imports such
// as "@weft/core" are left as written and resolve through the root node_modules to each
// package's dist/ (neither node nor this vitest run uses the "@weft/source" condition), so this
// is what a user of the published packages would see.
//
// Usage: node scripts/check-examples.mjs [--no-typecheck] [--filter <substring of file path>]
// Exits 1 with `file:line` of every failing example. Passes (and says so) with zero examples.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const typecheck = !args.includes("--no-typecheck");
const filterIndex = args.indexOf("--filter");
const filter = filterIndex >= 0 ? args[filterIndex + 1] : undefined;
const timeoutMs = 10_000;
// Below the repo root (so bare "@weft/*" imports resolve through the root node_modules to the
// workspace packages) but outside node_modules (which vitest never collects tests from).
const workDir = join(root, ".tsbuild", "examples");
const usesVitest = /\bfrom\s+["'](?:vitest|@weft\/testing\/vitest)["']/;

/** Every non-test .ts file under packages/<name>/src. */
function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (
        entry.name.endsWith(".ts") &&
        !entry.name.endsWith(".test.ts") &&
        !entry.name.endsWith(".test-d.ts") &&
        !entry.name.endsWith(".d.ts")
      ) {
        files.push(path);
      }
    }
  };
  const packagesDir = join(root, "packages");
  for (const name of readdirSync(packagesDir).sort()) {
    const src = join(packagesDir, name, "src");
    if (existsSync(src)) walk(src);
  }
  return files.sort();
}

/**
 * The ```ts / ```typescript blocks inside `@example` sections of the TSDoc comments of `file`,
 * each with the 1-based line of its opening fence.
 */
function extractExamples(file, text) {
  const examples = [];
  const lineOf = (offset) => text.slice(0, offset).split("\n").length;
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const startLine = lineOf(comment.index);
    const lines = comment[0]
      .replace(/^\/\*\*/, "")
      .replace(/\*\/$/, "")
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, ""));
    let inExample = false;
    let fence;
    let block = [];
    let blockLine = 0;
    lines.forEach((line, index) => {
      if (fence === undefined) {
        const tag = /^\s*@(\w+)/.exec(line);
        if (tag) inExample = tag[1] === "example";
        const open = /^\s*(`{3,}|~{3,})\s*(\w*)/.exec(line);
        if (open && inExample) {
          fence = { marker: open[1], lang: open[2] ?? "" };
          block = [];
          blockLine = startLine + index;
        }
        return;
      }
      if (line.trim().startsWith(fence.marker)) {
        if (["ts", "typescript", "mts"].includes(fence.lang)) {
          examples.push({ file, line: blockLine, code: `${block.join("\n")}\n` });
        }
        fence = undefined;
        return;
      }
      block.push(line);
    });
    if (fence !== undefined) {
      throw new Error(`${relative(root, file)}:${blockLine}: unterminated code fence in @example`);
    }
  }
  return examples;
}

/** Runs `node args…` in workDir, killing it after `limit` ms. */
function runNode(nodeArgs, limit) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, nodeArgs, {
      cwd: workDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, limit);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, output });
    });
  });
}

const where = (example) => `${relative(root, example.file)}:${example.line}`;
const excerpt = (output) => output.trim().split("\n").slice(0, 20).join("\n    ");

async function typecheckExamples(examples, failures) {
  for (const example of examples) {
    writeFileSync(join(workDir, `${example.name}.ts`), example.code);
  }
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM", "ESNext.Disposable"],
      module: "ESNext",
      moduleResolution: "Bundler",
      moduleDetection: "force",
      types: ["node"],
      typeRoots: [join(root, "node_modules", "@types")],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      noEmit: true,
      skipLibCheck: true,
    },
    include: ["*.ts"],
  };
  writeFileSync(join(workDir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = await runNode([tsc, "-p", "tsconfig.json", "--pretty", "false"], 120_000);
  if (result.code === 0) return;
  const byName = new Map(examples.map((example) => [example.name, example]));
  for (const line of result.output.split("\n")) {
    const match = /^(example-\d+)\.ts\((\d+),(\d+)\): (.*)$/.exec(line.trim());
    const example = match && byName.get(match[1]);
    if (match && example) {
      failures.push(
        `${relative(root, example.file)}:${example.line + Number(match[2])}: ` +
          `@example does not type-check: ${match[4]}`,
      );
    } else if (line.trim() !== "") {
      failures.push(`type-check: ${line.trim()}`);
    }
  }
}

async function runNodeExamples(examples, failures) {
  let ran = 0;
  const queue = [...examples];
  const worker = async () => {
    for (let example = queue.shift(); example; example = queue.shift()) {
      const result = await runNode([`${example.name}.mjs`], timeoutMs);
      ran += 1;
      if (result.timedOut) {
        failures.push(`${where(example)}: @example did not finish within ${timeoutMs / 1000} s`);
      } else if (result.code !== 0) {
        failures.push(
          `${where(example)}: @example failed (exit ${result.code ?? result.signal})\n    ` +
            excerpt(result.output),
        );
      }
    }
  };
  const workers = Math.max(1, Math.min(availableParallelism(), 4));
  await Promise.all(Array.from({ length: workers }, worker));
  return ran;
}

async function runVitestExamples(examples, failures) {
  if (examples.length === 0) return 0;
  const config = {
    cacheDir: join(workDir, ".vite"),
    test: {
      root: workDir,
      include: examples.map((example) => `${example.name}.test.mjs`),
      exclude: [],
      testTimeout: timeoutMs,
      hookTimeout: timeoutMs,
    },
  };
  writeFileSync(
    join(workDir, "vitest.config.mjs"),
    `export default ${JSON.stringify(config, null, 2)};\n`,
  );
  const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
  const report = join(workDir, "vitest-report.json");
  const result = await runNode(
    [vitest, "run", "--config", "vitest.config.mjs", "--reporter=json", `--outputFile=${report}`],
    timeoutMs * examples.length + 60_000,
  );
  let files = [];
  try {
    files = JSON.parse(readFileSync(report, "utf8")).testResults ?? [];
  } catch {
    failures.push(
      `vitest examples: no report (exit ${result.code})\n    ${excerpt(result.output)}`,
    );
    return 0;
  }
  for (const example of examples) {
    const file = files.find((each) => each.name.endsWith(`/${example.name}.test.mjs`));
    const tests = file?.assertionResults ?? [];
    const failed = tests.filter((test) => test.status === "failed");
    if (file === undefined || file.status !== "passed" || tests.length === 0) {
      const messages = [
        file?.message ?? "",
        ...failed.flatMap((test) => test.failureMessages ?? []),
      ];
      failures.push(
        `${where(example)}: @example failed under vitest` +
          `${tests.length === 0 ? " (it ran no test)" : ""}\n    ${excerpt(messages.join("\n"))}`,
      );
    }
  }
  return examples.length;
}

async function main() {
  const started = performance.now();
  let examples = [];
  for (const file of sourceFiles()) {
    if (filter && !relative(root, file).includes(filter)) continue;
    examples.push(...extractExamples(file, readFileSync(file, "utf8")));
  }

  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  examples = examples.map((example, index) => ({
    ...example,
    name: `example-${String(index).padStart(3, "0")}`,
    vitest: usesVitest.test(example.code),
  }));

  if (examples.length > 0) {
    const missing = ["core", "timers", "channels", "testing"].filter(
      (name) => !existsSync(join(root, "packages", name, "dist", "index.js")),
    );
    if (missing.length > 0) {
      console.error(
        `examples: packages not built (${missing.join(", ")}); run \`pnpm build\` first`,
      );
      process.exit(1);
    }
  }

  const failures = [];
  if (typecheck && examples.length > 0) await typecheckExamples(examples, failures);

  for (const example of examples) {
    const { code } = await transform(example.code, {
      loader: "ts",
      format: "esm",
      target: "node20",
      sourcefile: where(example),
    });
    const extension = example.vitest ? "test.mjs" : "mjs";
    writeFileSync(join(workDir, `${example.name}.${extension}`), code);
  }

  const ran =
    (await runNodeExamples(
      examples.filter((example) => !example.vitest),
      failures,
    )) +
    (await runVitestExamples(
      examples.filter((example) => example.vitest),
      failures,
    ));

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (failures.length > 0) {
    for (const failure of failures) console.error(`✗ ${failure}`);
    console.error(`examples: ${ran} ran, ${failures.length} failed (${seconds} s)`);
    process.exit(1);
  }
  console.log(`examples: ${ran} ran, 0 failed (${seconds} s)`);
}

await main();
