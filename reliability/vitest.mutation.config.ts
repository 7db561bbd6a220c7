import { join } from "node:path";
import type { UserWorkspaceConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineWeftProject } from "../vitest.shared.ts";

// The vitest config Stryker runs (reliability/mutation.mjs): one package's example and property
// tests, without type tests (a mutant never changes a type test's outcome, and tsc is slow), and
// without re-importing the modules for every test file (Stryker switches mutants at run time).
const name = process.env.WEFT_MUTATION_PACKAGE ?? "timers";
const project = defineWeftProject(
  `@weft/${name}`,
  join(import.meta.dirname, "..", "packages", name),
);

/**
 * Example-test files first, in path order; the fast-check `*.prop.test.ts` files (seconds each)
 * last. Stryker stops a mutant's run at its first failing test, so a mutant that an example test
 * kills never waits for a property test. vitest's own order (slowest file first) is the reverse.
 */
class ExamplesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const weight = (file: TestSpecification) => (file.moduleId.endsWith(".prop.test.ts") ? 1 : 0);
    return [...files].sort((a, b) => weight(a) - weight(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

const config: UserWorkspaceConfig = {
  ...project,
  test: {
    ...project.test,
    typecheck: { enabled: false },
    isolate: false,
    sequence: { sequencer: ExamplesFirst },
  },
};

export default config;
