// Checks every ```ts block of the guides (apps/docs/guide/*.md) against the packages' source:
// each block is a whole program that must type-check (strict, like the repository) and run.
//
// - A block that imports "vitest" or "@weft/testing/vitest" runs as a test file of one child
//   `vitest run`; any other block is bundled with esbuild and run with node (10 s limit).
// - A line `console.log(…); // text` states an output: the texts of a block must appear, in order,
//   among the lines it prints (node blocks only).
// - `<!-- check: types -->` right before a block: type-check it, do not run it (e.g. it needs
//   the network). `<!-- check: skip -->`: neither (a fragment).
//
// "@weft/*" imports resolve to each package's TypeScript source (the "@weft/source" condition),
// so no build is needed. Scratch files go to apps/docs/.tsbuild/guides (git-ignored).

import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const docsRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = join(docsRoot, "..", "..");
const guideDir = join(docsRoot, "guide");
const workDir = join(docsRoot, ".tsbuild", "guides");
const sourceCondition = "@weft/source";
const runLimit = 10_000;
const usesVitest = /\bfrom\s+["'](?:vitest|@weft\/testing\/vitest)["']/;

type Mode = "run" | "types" | "skip";

interface Block {
  /** `guide/file.md:line` of the opening fence. */
  readonly where: string;
  /** A file name stem, unique per block. */
  readonly name: string;
  readonly code: string;
  readonly mode: Mode;
  readonly vitest: boolean;
  /** Printed lines the block states in `// ` comments after `console.log(…)`. */
  readonly expected: readonly string[];
}

interface Outcome {
  typeErrors: string[];
  ran: boolean;
  exitCode: number | null;
  output: string;
}

function expectedOutput(code: string): string[] {
  const expected: string[] = [];
  for (const line of code.split("\n")) {
    const match = /\bconsole\.log\(.*\)\s*;?\s*\/\/ (.+)$/.exec(line);
    if (match?.[1] !== undefined) expected.push(match[1].trim());
  }
  return expected;
}

/** The ```ts blocks of one markdown file, with the mode set by a `<!-- check: … -->` before them. */
function blocksOf(file: string): Block[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const blocks: Block[] = [];
  let mode: Mode = "run";
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const marker = /^<!--\s*check:\s*(types|skip)\s*-->$/.exec(line.trim());
    if (marker?.[1] !== undefined) {
      mode = marker[1] as Mode;
      continue;
    }
    const open = /^(`{3,})\s*(\w*)/.exec(line);
    if (open === null) {
      if (line.trim() !== "") mode = "run";
      continue;
    }
    const fence = open[1] ?? "```";
    const lang = open[2] ?? "";
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !(lines[index] ?? "").startsWith(fence); index++) {
      body.push(lines[index] ?? "");
    }
    if (["ts", "typescript"].includes(lang)) {
      const code = `${body.join("\n")}\n`;
      const where = `${relative(docsRoot, file)}:${start + 1}`;
      blocks.push({
        where,
        name: `${relative(guideDir, file).replace(/\W+/g, "_")}_${start + 1}`,
        code,
        mode,
        vitest: usesVitest.test(code),
        expected: expectedOutput(code),
      });
    }
    mode = "run";
  }
  return blocks;
}

/** Runs `node args…` in `cwd`, killing it after `limit` ms. */
function runNode(
  args: string[],
  cwd: string,
  limit: number,
): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: "" };
  // A child vitest must not believe it runs inside this one.
  for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => {
      output += `\n(killed after ${limit} ms)`;
      child.kill("SIGKILL");
    }, limit);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function typecheck(blocks: Block[], outcomes: Map<Block, Outcome>): Promise<void> {
  const tsconfig = {
    extends: join(repoRoot, "tsconfig.base.json"),
    compilerOptions: {
      noEmit: true,
      declaration: false,
      declarationMap: false,
      isolatedDeclarations: false,
      types: ["node"],
    },
    include: ["*.ts"],
  };
  writeFileSync(join(workDir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const result = await runNode([tsc, "-p", "tsconfig.json", "--pretty", "false"], workDir, 180_000);
  if (result.code === 0) return;
  const byName = new Map(blocks.map((block) => [`${block.name}.ts`, block]));
  for (const line of result.output.split("\n")) {
    const match = /^([\w.-]+\.ts)\((\d+),\d+\): (.*)$/.exec(line.trim());
    const block = match?.[1] === undefined ? undefined : byName.get(match[1]);
    if (match !== null && block !== undefined) {
      outcomes.get(block)?.typeErrors.push(`line ${match[2]} of the block: ${match[3]}`);
    } else if (line.trim() !== "") {
      // An error outside the blocks (in a package's source, say) fails every block.
      for (const outcome of outcomes.values()) outcome.typeErrors.push(line.trim());
    }
  }
}

async function runWithNode(blocks: Block[], outcomes: Map<Block, Outcome>): Promise<void> {
  const queue = [...blocks];
  const worker = async (): Promise<void> => {
    for (let block = queue.shift(); block !== undefined; block = queue.shift()) {
      const outcome = outcomes.get(block) as Outcome;
      const outfile = join(workDir, "out", `${block.name}.mjs`);
      try {
        await build({
          entryPoints: [join(workDir, `${block.name}.ts`)],
          outfile,
          bundle: true,
          platform: "node",
          format: "esm",
          target: "node20",
          conditions: [sourceCondition],
          logLevel: "silent",
        });
      } catch (error) {
        outcome.output = `esbuild: ${error instanceof Error ? error.message : String(error)}`;
        continue;
      }
      const result = await runNode([outfile], workDir, runLimit);
      outcome.ran = true;
      outcome.exitCode = result.code;
      outcome.output = result.output;
    }
  };
  await Promise.all(Array.from({ length: 2 }, worker));
}

async function runWithVitest(blocks: Block[], outcomes: Map<Block, Outcome>): Promise<void> {
  if (blocks.length === 0) return;
  const dir = join(workDir, "vitest");
  mkdirSync(dir, { recursive: true });
  for (const block of blocks) writeFileSync(join(dir, `${block.name}.test.ts`), block.code);
  const shared = join(repoRoot, "vitest.shared.ts");
  writeFileSync(
    join(dir, "vitest.config.ts"),
    [
      `import { defineWeftProject } from ${JSON.stringify(shared)};`,
      "",
      `const project = defineWeftProject("guide examples", import.meta.dirname, { include: ["*.test.ts"] });`,
      `export default { ...project, cacheDir: ${JSON.stringify(join(dir, ".vite"))} };`,
      "",
    ].join("\n"),
  );
  const report = join(dir, "report.json");
  const vitest = join(repoRoot, "node_modules", "vitest", "vitest.mjs");
  const result = await runNode(
    [vitest, "run", "--config", "vitest.config.ts", "--reporter=json", `--outputFile=${report}`],
    dir,
    runLimit * blocks.length + 60_000,
  );
  let files: {
    name: string;
    status: string;
    message?: string;
    assertionResults?: { status: string; failureMessages?: string[] }[];
  }[] = [];
  try {
    files = JSON.parse(readFileSync(report, "utf8")).testResults ?? [];
  } catch {
    for (const block of blocks) {
      (outcomes.get(block) as Outcome).output = `vitest wrote no report:\n${result.output}`;
    }
    return;
  }
  for (const block of blocks) {
    const outcome = outcomes.get(block) as Outcome;
    const file = files.find((each) => each.name.endsWith(`/${block.name}.test.ts`));
    const tests = file?.assertionResults ?? [];
    outcome.ran = true;
    const passed = file?.status === "passed" && tests.length > 0;
    outcome.exitCode = passed ? 0 : 1;
    outcome.output = passed
      ? ""
      : [
          tests.length === 0 ? "(the block ran no test)" : "",
          file?.message ?? "",
          ...tests.flatMap((test) => test.failureMessages ?? []),
        ].join("\n");
  }
}

/** Whether `expected` appears, in order, among the printed `lines`. */
function inOrder(expected: readonly string[], lines: readonly string[]): string | undefined {
  let at = 0;
  for (const text of expected) {
    while (at < lines.length && lines[at] !== text) at++;
    if (at === lines.length) return text;
    at++;
  }
  return undefined;
}

const blocks = readdirSync(guideDir)
  .filter((name) => name.endsWith(".md"))
  .sort()
  .flatMap((name) => blocksOf(join(guideDir, name)));
const outcomes = new Map<Block, Outcome>(
  blocks.map((block) => [block, { typeErrors: [], ran: false, exitCode: null, output: "" }]),
);

describe("guide code blocks", () => {
  beforeAll(async () => {
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(join(workDir, "out"), { recursive: true });
    const checked = blocks.filter((block) => block.mode !== "skip");
    for (const block of checked) writeFileSync(join(workDir, `${block.name}.ts`), block.code);
    const running = checked.filter((block) => block.mode === "run");
    await Promise.all([
      typecheck(checked, outcomes),
      runWithVitest(
        running.filter((block) => block.vitest),
        outcomes,
      ),
    ]);
    // Afterwards, and two at a time: blocks on real time keep their timing on a calm machine.
    await runWithNode(
      running.filter((block) => !block.vitest),
      outcomes,
    );
  }, 300_000);

  it("finds the guides' code blocks", () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  for (const block of blocks.filter((each) => each.mode !== "skip")) {
    it(`${block.where} type-checks${block.mode === "run" ? " and runs" : ""}`, () => {
      const outcome = outcomes.get(block) as Outcome;
      expect(outcome.typeErrors, "type errors").toEqual([]);
      if (block.mode !== "run") return;
      expect(outcome.ran, `did not run:\n${outcome.output}`).toBe(true);
      expect(outcome.exitCode, `failed:\n${outcome.output}`).toBe(0);
      const lines = outcome.output.split("\n").map((line) => line.trim());
      const missing = inOrder(block.expected, lines);
      expect(missing, `expected output missing or out of order:\n${outcome.output}`).toBe(
        undefined,
      );
    });
  }
});
