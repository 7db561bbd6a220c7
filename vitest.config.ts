import { defineConfig } from "vitest/config";
import { defineWeftProject } from "./vitest.shared.ts";

// One `vitest run` at the root runs every project and prints one summary. Each project's own
// vitest.config.ts calls defineWeftProject (vitest.shared.ts).
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "apps/*/vitest.config.ts",
      "{examples,bench}/vitest.config.ts",
      "reliability/vitest.config.ts",
      // Checks of the tooling itself: source resolution and the property-test runner.
      defineWeftProject("tooling", import.meta.dirname, { include: ["scripts/*.test.ts"] }),
    ],
    coverage: {
      provider: "v8",
      include: ["packages/*/src/**/*.ts"],
      exclude: ["**/*.test.ts", "**/*.test-d.ts", "**/index.ts"],
      reporter: ["text-summary", "html"],
    },
  },
});
