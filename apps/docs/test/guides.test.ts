// Checks every ```ts block of the guides (apps/docs/guide/*.md) and of the READMEs of core,
// timers and testing with the snippet runner
// (snippets/runner.mjs, shared with scripts/check-examples.mjs): each block is a whole program
// that must type-check (strict, like the repository), run, and print the lines its `// output`
// comments state, in order. "@weft/*" resolves to each package's TypeScript source, so no build
// is needed. Scratch files go to apps/docs/.tsbuild/guides (git-ignored). One test per block.

import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { markdownSnippets, type Outcome, problemsOf, runSnippets } from "../snippets/runner.mjs";

const docsRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = join(docsRoot, "..", "..");
const guideDir = join(docsRoot, "guide");

// The package READMEs that belong to the site's packages' documentation run the same way.
const readmes = ["core", "timers", "testing"].map((name) =>
  join(repoRoot, "packages", name, "README.md"),
);
const snippets = [
  ...readdirSync(guideDir)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .flatMap((name) => markdownSnippets(join(guideDir, name), docsRoot)),
  ...readmes.flatMap((file) => markdownSnippets(file, repoRoot)),
];
let outcomes = new Map<(typeof snippets)[number], Outcome>();

describe("guide code blocks", () => {
  beforeAll(async () => {
    outcomes = await runSnippets(snippets, {
      repoRoot,
      workDir: join(docsRoot, ".tsbuild", "guides"),
      source: true,
    });
  }, 300_000);

  it("finds the guides' code blocks", () => {
    expect(snippets.length).toBeGreaterThan(0);
  });

  for (const snippet of snippets.filter((each) => each.mode !== "skip")) {
    it(`${snippet.where} type-checks${snippet.mode === "run" ? ", runs and prints what it states" : ""}`, () => {
      const outcome = outcomes.get(snippet);
      expect(outcome, "the runner gave no outcome").toBeDefined();
      if (outcome === undefined) return;
      expect(problemsOf(snippet, outcome)).toEqual([]);
    });
  }
});
