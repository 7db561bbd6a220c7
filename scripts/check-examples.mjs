#!/usr/bin/env node
// Runs every ```ts block under an `@example` tag of a TSDoc comment in packages/*/src/**/*.ts
// (test files excluded) against the BUILT packages, with the snippet runner shared with the
// guides' test (apps/docs/snippets/runner.mjs): each example must type-check (strict, against the
// packages' dist/*.d.ts), run (node, or vitest when it imports "vitest" / "@weft/testing/vitest")
// and print the lines its `// output` comments state, in order. Imports such as "@weft/core"
// resolve through the root node_modules to each package's dist/, as a user's program would.
//
// Usage: node scripts/check-examples.mjs [--no-typecheck] [--filter <substring of file path>]
// Exits 1 with `file:line` of every failing example.

import { existsSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { exampleSnippets, problemsOf, runSnippets } from "../apps/docs/snippets/runner.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const filterIndex = args.indexOf("--filter");
const filter = filterIndex >= 0 ? args[filterIndex + 1] : undefined;

/** Every non-test .ts file under packages/<name>/src. */
function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/(?<!\.test|\.test-d|\.d|\.test-support)\.ts$/.test(entry.name)) files.push(path);
    }
  };
  const packagesDir = join(root, "packages");
  for (const name of readdirSync(packagesDir).sort()) {
    const src = join(packagesDir, name, "src");
    if (existsSync(src)) walk(src);
  }
  return files.sort();
}

const started = performance.now();
const examples = sourceFiles()
  .filter((file) => filter === undefined || relative(root, file).includes(filter))
  .flatMap((file) => exampleSnippets(file, root));
const packages = readdirSync(join(root, "packages")).filter((name) =>
  existsSync(join(root, "packages", name, "package.json")),
);
const unbuilt = packages.filter(
  (name) => !existsSync(join(root, "packages", name, "dist", "index.js")),
);
if (examples.length > 0 && unbuilt.length > 0) {
  console.error(`examples: packages not built (${unbuilt.join(", ")}); run \`pnpm build\` first`);
  process.exit(1);
}

const outcomes = await runSnippets(examples, {
  repoRoot: root,
  // Below the repository root (bare "@weft/*" imports resolve through the root node_modules),
  // outside node_modules (which vitest never collects tests from).
  workDir: join(root, ".tsbuild", "examples"),
  source: false,
  typecheck: !args.includes("--no-typecheck"),
  parallel: Math.max(1, Math.min(availableParallelism(), 4)),
});

let failed = 0;
let checkedLines = 0;
for (const [example, outcome] of outcomes) {
  checkedLines += example.expected.length;
  const problems = problemsOf(example, outcome);
  if (problems.length === 0) continue;
  failed += 1;
  for (const problem of problems) {
    const excerpt = problem.trim().split("\n").slice(0, 20).join("\n    ");
    console.error(`✗ ${example.where}: @example ${excerpt}`);
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const summary =
  `examples: ${outcomes.size} ran, ${failed} failed, ` +
  `${checkedLines} output lines checked (${seconds} s)`;
if (failed > 0) {
  console.error(summary);
  process.exit(1);
}
console.log(summary);
