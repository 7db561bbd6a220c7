import { join } from "node:path";
import type { UserWorkspaceConfig } from "vitest/config";
import { defineWeftProject } from "../vitest.shared.ts";

// The vitest config Stryker runs (reliability/mutation.mjs): one package's example and property
// tests, without type tests (a mutant never changes a type test's outcome, and tsc is slow), and
// without re-importing the modules for every test file (Stryker switches mutants at run time).
const name = process.env.WEFT_MUTATION_PACKAGE ?? "timers";
const project = defineWeftProject(
  `@weft/${name}`,
  join(import.meta.dirname, "..", "packages", name),
);

const config: UserWorkspaceConfig = {
  ...project,
  test: { ...project.test, typecheck: { enabled: false }, isolate: false },
};

export default config;
