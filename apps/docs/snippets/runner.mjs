// @ts-check
// The one snippet runner of the repository: it finds the TypeScript code of the guides
// (```ts blocks of apps/docs/guide/*.md) and of the TSDoc `@example`s (packages/*/src), and runs
// each snippet as a whole program: type-checked (strict), then run, its printed lines checked
// against its `// output` comments.
//
// - A snippet that imports "vitest" or "@weft/testing/vitest" runs as a test file of one child
//   `vitest run`; any other is bundled with esbuild and run with node (10 s limit each).
// - Output comments: `console.log(…); // text` states that `text` is printed; lines made only of
//   `// text` right below it state the next printed lines (a multi-line value), and so do the
//   `// text` lines below a line `// prints:` (for what several statements print). The stated lines
//   must appear, in order, among the lines the snippet prints (node snippets only: a vitest
//   snippet states its expectations with `expect`).
// - In markdown, `<!-- check: types -->` right before a block type-checks it without running it
//   (it needs the network, say); `<!-- check: skip -->` does neither (a fragment);
//   `<!-- check: module primes.js -->` type-checks it and bundles it to `primes.js` beside the
//   bundles of the other snippets, which load it (a worker file), before any snippet runs.
//
// `source: true` resolves "@weft/*" to each package's TypeScript source (the "@weft/source"
// condition: no build needed, used by the guides' test); `source: false` resolves them through
// node_modules to each package's dist/ (what a user of the published packages sees, used by
// scripts/check-examples.mjs).

import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";

const sourceCondition = "@weft/source";
const runLimit = 10_000;
const usesVitest = /\bfrom\s+["'](?:vitest|@weft\/testing\/vitest)["']/;
const typescriptLangs = ["ts", "typescript", "mts"];

/**
 * @typedef {"run" | "types" | "skip" | "module"} Mode
 * @typedef {object} Snippet
 * @property {string} where `path:line` of the opening fence, relative to the repository.
 * @property {string} name A file name stem, unique among the snippets of one run.
 * @property {string} code The whole program.
 * @property {Mode} mode
 * @property {string} [file] For mode "module": the file name it is bundled to, beside the snippets'
 *   bundles (a worker file that other snippets load with `new URL("./<file>", import.meta.url)`).
 * @property {boolean} vitest Whether it is a test file (it imports vitest).
 * @property {readonly string[]} expected The printed lines its output comments state, in order.
 * @typedef {object} Outcome
 * @property {string[]} typeErrors
 * @property {boolean} ran
 * @property {number | null} exitCode
 * @property {string} output What it printed (stdout and stderr), or why it could not run.
 */

/**
 * The lines a snippet states it prints: the `// text` after a `console.log(…)` on its line, and
 * the comment-only lines right below such a statement or below a `// prints:` line.
 * @param {string} code
 * @returns {string[]}
 */
export function expectedOutput(code) {
  const expected = [];
  let continuing = false;
  for (const line of code.split("\n")) {
    if (/\bconsole\.log\(/.test(line)) {
      const stated = /\bconsole\.log\(.*\)\s*;?\s*\/\/ (.+)$/.exec(line)?.[1];
      if (stated !== undefined) expected.push(stated.trim());
      continuing = true;
      continue;
    }
    if (/^\s*\/\/ prints:\s*$/.test(line)) {
      continuing = true;
      continue;
    }
    const comment = /^\s*\/\/ (.+)$/.exec(line);
    if (continuing && comment?.[1] !== undefined) expected.push(comment[1].trim());
    else continuing = false;
  }
  return expected;
}

/**
 * @param {string} where
 * @param {string} name
 * @param {string} code
 * @param {Mode} mode
 * @returns {Snippet}
 */
function snippet(where, name, code, mode) {
  return { where, name, code, mode, vitest: usesVitest.test(code), expected: expectedOutput(code) };
}

/** @param {string} path */
const stem = (path) => path.replace(/\W+/g, "_");

/**
 * The ```ts blocks of one markdown file, each with the mode a `<!-- check: … -->` line before it
 * sets.
 * @param {string} file
 * @param {string} root The directory `where` is relative to.
 * @returns {Snippet[]}
 */
export function markdownSnippets(file, root) {
  const lines = readFileSync(file, "utf8").split("\n");
  /** @type {Snippet[]} */
  const snippets = [];
  /** @type {Mode} */
  let mode = "run";
  /** @type {string | undefined} */
  let moduleFile;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const marker = /^<!--\s*check:\s*(types|skip|module\s+([\w.-]+))\s*-->$/.exec(line.trim());
    if (marker?.[1] === "types" || marker?.[1] === "skip") {
      mode = marker[1];
      continue;
    }
    if (marker?.[2] !== undefined) {
      mode = "module";
      moduleFile = marker[2];
      continue;
    }
    const open = /^(`{3,})\s*(\w*)/.exec(line);
    if (open === null) {
      if (line.trim() !== "") mode = "run";
      continue;
    }
    const fence = open[1] ?? "```";
    const start = index;
    const body = [];
    for (index++; index < lines.length && !(lines[index] ?? "").startsWith(fence); index++) {
      body.push(lines[index] ?? "");
    }
    if (typescriptLangs.includes(open[2] ?? "")) {
      const where = `${relative(root, file)}:${start + 1}`;
      const each = snippet(where, stem(where), `${body.join("\n")}\n`, mode);
      snippets.push(moduleFile === undefined ? each : { ...each, file: moduleFile });
    }
    mode = "run";
    moduleFile = undefined;
  }
  return snippets;
}

/**
 * The ```ts blocks inside `@example` sections of the TSDoc comments of one source file.
 * @param {string} file
 * @param {string} root The directory `where` is relative to.
 * @returns {Snippet[]}
 */
export function exampleSnippets(file, root) {
  const text = readFileSync(file, "utf8");
  /** @type {Snippet[]} */
  const snippets = [];
  /** @param {number} offset */
  const lineOf = (offset) => text.slice(0, offset).split("\n").length;
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const startLine = lineOf(comment.index);
    const lines = comment[0]
      .replace(/^\/\*\*/, "")
      .replace(/\*\/$/, "")
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, ""));
    let inExample = false;
    /** @type {{ marker: string; lang: string } | undefined} */
    let fence;
    /** @type {string[]} */
    let body = [];
    let fenceLine = 0;
    lines.forEach((line, index) => {
      if (fence === undefined) {
        const tag = /^\s*@(\w+)/.exec(line);
        if (tag) inExample = tag[1] === "example";
        const open = /^\s*(`{3,}|~{3,})\s*(\w*)/.exec(line);
        if (open && inExample) {
          fence = { marker: open[1] ?? "```", lang: open[2] ?? "" };
          body = [];
          fenceLine = startLine + index;
        }
        return;
      }
      if (line.trim().startsWith(fence.marker)) {
        if (typescriptLangs.includes(fence.lang)) {
          const where = `${relative(root, file)}:${fenceLine}`;
          snippets.push(snippet(where, stem(where), `${body.join("\n")}\n`, "run"));
        }
        fence = undefined;
        return;
      }
      body.push(line);
    });
    if (fence !== undefined) {
      throw new Error(`${relative(root, file)}:${fenceLine}: unterminated code fence in @example`);
    }
  }
  return snippets;
}

const thirdParty = Symbol("third-party");
/**
 * Bundles the "@weft/*" sources into a snippet but leaves every other package (piscina, say)
 * an import of its installed file: a package may load files of its own beside it (piscina's
 * worker script) that a bundle would lose.
 * @type {import("esbuild").Plugin}
 */
const thirdPartyExternal = {
  name: "third-party-external",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith("@weft/") || args.pluginData === thirdParty) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: thirdParty,
      });
      if (resolved.errors.length > 0 || resolved.external || !resolved.path.startsWith("/")) {
        return undefined;
      }
      return { path: resolved.path, external: true };
    });
  },
};

/**
 * Runs `node args…` in `cwd`, killing it after `limit` ms.
 * @param {string[]} args
 * @param {string} cwd
 * @param {number} limit
 * @returns {Promise<{ code: number | null; output: string }>}
 */
function runNode(args, cwd, limit) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, NODE_OPTIONS: "" };
  // A child vitest must not believe it runs inside a parent one.
  for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk) => {
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

/**
 * @param {Snippet[]} snippets
 * @param {Map<Snippet, Outcome>} outcomes
 * @param {RunnerOptions} options
 */
async function typecheck(snippets, outcomes, options) {
  const tsconfig = {
    extends: join(options.repoRoot, "tsconfig.base.json"),
    compilerOptions: {
      noEmit: true,
      declaration: false,
      declarationMap: false,
      isolatedDeclarations: false,
      customConditions: options.source ? [sourceCondition] : [],
      types: ["node"],
      typeRoots: [join(options.repoRoot, "node_modules", "@types")],
    },
    include: ["*.ts"],
  };
  writeFileSync(join(options.workDir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  const tsc = join(options.repoRoot, "node_modules", "typescript", "bin", "tsc");
  const result = await runNode(
    [tsc, "-p", "tsconfig.json", "--pretty", "false"],
    options.workDir,
    240_000,
  );
  if (result.code === 0) return;
  const byFile = new Map(snippets.map((each) => [`${each.name}.ts`, each]));
  for (const line of result.output.split("\n")) {
    const match = /^([\w.-]+\.ts)\((\d+),\d+\): (.*)$/.exec(line.trim());
    const found = match?.[1] === undefined ? undefined : byFile.get(match[1]);
    if (match !== null && found !== undefined) {
      outcomes.get(found)?.typeErrors.push(`line ${match[2]} of the snippet: ${match[3]}`);
    } else if (line.trim() !== "") {
      // An error outside the snippets (in a package, say) fails every snippet.
      for (const outcome of outcomes.values()) outcome.typeErrors.push(line.trim());
    }
  }
}

/**
 * Bundles `snippet` for node into `outfile`.
 * @param {Snippet} snippet
 * @param {string} outfile
 * @param {RunnerOptions} options
 * @returns {Promise<string | undefined>} What esbuild reported, if it failed.
 */
async function bundle(snippet, outfile, options) {
  try {
    await build({
      entryPoints: [join(options.workDir, `${snippet.name}.ts`)],
      outfile,
      bundle: true,
      // Against dist/, imports stay imports (node resolves them as a user's program would).
      packages: options.source ? "bundle" : "external",
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: options.source ? [sourceCondition] : [],
      plugins: options.source ? [thirdPartyExternal] : [],
      logLevel: "silent",
    });
    return undefined;
  } catch (error) {
    return `esbuild: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * @param {Snippet[]} snippets
 * @param {Map<Snippet, Outcome>} outcomes
 * @param {RunnerOptions} options
 */
async function runWithNode(snippets, outcomes, options) {
  const queue = [...snippets];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const outcome = /** @type {Outcome} */ (outcomes.get(next));
      const outfile = join(options.workDir, "out", `${next.name}.mjs`);
      const failure = await bundle(next, outfile, options);
      if (failure !== undefined) {
        outcome.output = failure;
        continue;
      }
      const result = await runNode([outfile], options.workDir, runLimit);
      outcome.ran = true;
      outcome.exitCode = result.code;
      outcome.output = result.output;
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 2 }, worker));
}

/**
 * @param {Snippet[]} snippets
 * @param {Map<Snippet, Outcome>} outcomes
 * @param {RunnerOptions} options
 */
async function runWithVitest(snippets, outcomes, options) {
  if (snippets.length === 0) return;
  const dir = join(options.workDir, "vitest");
  mkdirSync(dir, { recursive: true });
  for (const each of snippets) writeFileSync(join(dir, `${each.name}.test.ts`), each.code);
  const config = options.source
    ? [
        `import { defineWeftProject } from ${JSON.stringify(join(options.repoRoot, "vitest.shared.ts"))};`,
        `const project = defineWeftProject("snippets", import.meta.dirname, { include: ["*.test.ts"] });`,
        `export default { ...project, cacheDir: ${JSON.stringify(join(dir, ".vite"))} };`,
      ]
    : [
        `export default { cacheDir: ${JSON.stringify(join(dir, ".vite"))}, test: { root: import.meta.dirname, include: ["*.test.ts"], testTimeout: ${runLimit} } };`,
      ];
  writeFileSync(join(dir, "vitest.config.mjs"), `${config.join("\n")}\n`);
  const report = join(dir, "report.json");
  const vitest = join(options.repoRoot, "node_modules", "vitest", "vitest.mjs");
  const result = await runNode(
    [vitest, "run", "--config", "vitest.config.mjs", "--reporter=json", `--outputFile=${report}`],
    dir,
    runLimit * snippets.length + 60_000,
  );
  /** @type {{ name: string; status: string; message?: string; assertionResults?: { status: string; failureMessages?: string[] }[] }[]} */
  let files = [];
  try {
    files = JSON.parse(readFileSync(report, "utf8")).testResults ?? [];
  } catch {
    for (const each of snippets) {
      const outcome = /** @type {Outcome} */ (outcomes.get(each));
      outcome.output = `vitest wrote no report:\n${result.output}`;
    }
    return;
  }
  for (const each of snippets) {
    const outcome = /** @type {Outcome} */ (outcomes.get(each));
    const file = files.find((entry) => entry.name.endsWith(`/${each.name}.test.ts`));
    const tests = file?.assertionResults ?? [];
    const passed = file?.status === "passed" && tests.length > 0;
    outcome.ran = true;
    outcome.exitCode = passed ? 0 : 1;
    outcome.output = passed
      ? ""
      : [
          tests.length === 0 ? "(the snippet ran no test)" : "",
          file?.message ?? "",
          ...tests.flatMap((test) => test.failureMessages ?? []),
        ].join("\n");
  }
}

/**
 * @typedef {object} RunnerOptions
 * @property {string} repoRoot
 * @property {string} workDir Scratch directory (emptied first), below the repository root and
 *   outside node_modules, so that bare "@weft/*" imports resolve to the workspace packages.
 * @property {boolean} source Resolve "@weft/*" to TypeScript source (else to dist/).
 * @property {boolean} [typecheck] Type-check the snippets (default true).
 * @property {number} [parallel] Node snippets run at once (default 2).
 */

/**
 * Type-checks and runs `snippets` (skipping those in mode "skip", running only those in mode
 * "run").
 * @param {readonly Snippet[]} snippets
 * @param {RunnerOptions} options
 * @returns {Promise<Map<Snippet, Outcome>>} The outcome of every snippet not skipped.
 */
export async function runSnippets(snippets, options) {
  rmSync(options.workDir, { recursive: true, force: true });
  mkdirSync(join(options.workDir, "out"), { recursive: true });
  const checked = snippets.filter((each) => each.mode !== "skip");
  const outcomes = new Map(
    checked.map((each) => [each, { typeErrors: [], ran: false, exitCode: null, output: "" }]),
  );
  for (const each of checked) writeFileSync(join(options.workDir, `${each.name}.ts`), each.code);
  const running = checked.filter((each) => each.mode === "run");
  await Promise.all([
    options.typecheck === false ? Promise.resolve() : typecheck(checked, outcomes, options),
    runWithVitest(
      running.filter((each) => each.vitest),
      outcomes,
      options,
    ),
  ]);
  // The modules (worker files) the snippets load, then the snippets, a few at a time: snippets on
  // real time keep their timing on a calm machine.
  for (const each of checked) {
    if (each.mode !== "module" || each.file === undefined) continue;
    const failure = await bundle(each, join(options.workDir, "out", each.file), options);
    const outcome = /** @type {Outcome} */ (outcomes.get(each));
    outcome.exitCode = failure === undefined ? 0 : 1;
    outcome.output = failure ?? "";
  }
  await runWithNode(
    running.filter((each) => !each.vitest),
    outcomes,
    options,
  );
  return outcomes;
}

/**
 * The first stated line that is missing from `lines` (or out of order), if any.
 * @param {readonly string[]} expected
 * @param {readonly string[]} lines
 * @returns {string | undefined}
 */
export function missingLine(expected, lines) {
  let at = 0;
  for (const text of expected) {
    while (at < lines.length && lines[at] !== text) at++;
    if (at === lines.length) return text;
    at++;
  }
  return undefined;
}

/**
 * What is wrong with a snippet's outcome: type errors, a failed run, or a stated output line that
 * it did not print in order. Empty when it passed.
 * @param {Snippet} snippet
 * @param {Outcome} outcome
 * @returns {string[]}
 */
export function problemsOf(snippet, outcome) {
  const problems = outcome.typeErrors.map((error) => `does not type-check: ${error}`);
  if (snippet.mode === "module" && outcome.exitCode === 1) {
    return [...problems, `could not be bundled: ${outcome.output}`];
  }
  if (snippet.mode !== "run") return problems;
  if (!outcome.ran) return [...problems, `did not run:\n${outcome.output}`];
  if (outcome.exitCode !== 0) return [...problems, `failed:\n${outcome.output}`];
  const printed = outcome.output.split("\n").map((line) => line.trim());
  const missing = missingLine(snippet.expected, printed);
  if (missing !== undefined) {
    problems.push(
      `printed no line ${JSON.stringify(missing)} where its comments state it; it printed:\n` +
        outcome.output,
    );
  }
  return problems;
}
