import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineProject, type UserWorkspaceConfig } from "vitest/config";

/**
 * The condition that maps every `@weft/*` import to its TypeScript source
 * (see the `exports` of each package), so tests never need a build.
 */
export const sourceCondition = "@weft/source";

/** Whether `dir` holds a `*.test-d.ts` file at any depth. */
function hasTypeTests(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).some((file) =>
    file.endsWith(".test-d.ts"),
  );
}

/**
 * The vitest project of one workspace folder: its `src/**\/*.test.ts` tests (example and
 * `*.prop.test.ts` property tests) and, when the folder has a `tsconfig.vitest.json`, its
 * `src/**\/*.test-d.ts` type tests. `@weft/*` imports resolve to source.
 */
export function defineWeftProject(
  name: string,
  root: string,
  options: { include?: string[] } = {},
): UserWorkspaceConfig {
  // tsconfig.test.json minus its project references (`extends` does not inherit them), so that
  // vitest's `tsc --noEmit -p` reads sibling packages from source and needs no prior `tsc -b`.
  const typecheckConfig = "tsconfig.vitest.json";
  // Only where type tests exist: vitest warns that type testing is experimental on every start.
  const typecheck = existsSync(join(root, typecheckConfig)) && hasTypeTests(join(root, "src"));
  return defineProject({
    root,
    resolve: {
      conditions: [sourceCondition, ...defaultClientConditions],
    },
    ssr: {
      resolve: {
        conditions: [sourceCondition, ...defaultServerConditions],
        externalConditions: [sourceCondition],
      },
    },
    test: {
      name,
      root,
      environment: "node",
      include: options.include ?? ["src/**/*.test.ts"],
      typecheck: {
        enabled: typecheck,
        only: false,
        include: ["src/**/*.test-d.ts"],
        tsconfig: `./${typecheckConfig}`,
      },
    },
  });
}
