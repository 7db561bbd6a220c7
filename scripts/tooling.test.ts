import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";

// Tests of the workspace tooling, not of Weft: if one fails, tests elsewhere may be testing the
// wrong files.

describe("the @weft/source condition", () => {
  it.each([
    ["@weft/core", "../packages/core/src/index.ts"],
    ["@weft/timers", "../packages/timers/src/index.ts"],
    ["@weft/channels", "../packages/channels/src/index.ts"],
    ["@weft/testing", "../packages/testing/src/index.ts"],
    ["@weft/testing/vitest", "../packages/testing/src/vitest.ts"],
  ])("resolves %s to its TypeScript source", async (specifier, source) => {
    const byName = await import(specifier);
    const bySource = await import(source);
    expect(byName).toBe(bySource);
  });
});

describe("@fast-check/vitest", () => {
  let runs = 0;

  test.prop([fc.nat()], { numRuns: 25 })("runs a property once per generated input", (n) => {
    runs += 1;
    expect(Number.isInteger(n) && n >= 0).toBe(true);
  });

  it("ran the property exactly numRuns times", () => {
    expect(runs).toBe(25);
  });

  it("finds and shrinks a counterexample", () => {
    const result = fc.check(fc.property(fc.integer(), (n) => n < 10));
    expect(result.failed).toBe(true);
    expect(result.counterexample).toEqual([10]);
  });
});

describe("the import graph of packages/*/src", () => {
  it("has no cycle (type-only imports included)", () => {
    const cycles = findImportCycles(fileURLToPath(new URL("../packages", import.meta.url)));
    expect(cycles).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const root = mkdtempSync(join(tmpdir(), "weft-cycles-"));
    try {
      mkdirSync(join(root, "demo", "src", "internal"), { recursive: true });
      writeFileSync(join(root, "demo", "src", "a.ts"), 'import { b } from "./internal/b.ts";\n');
      writeFileSync(
        join(root, "demo", "src", "internal", "b.ts"),
        'import type { C } from "../c.ts";\nexport const b = 1;\n',
      );
      writeFileSync(join(root, "demo", "src", "c.ts"), 'export { a } from "./a.ts";\n');
      writeFileSync(join(root, "demo", "src", "a.test.ts"), 'import "./a.ts";\n');
      expect(findImportCycles(root)).toEqual([
        ["demo/src/a.ts", "demo/src/internal/b.ts", "demo/src/c.ts", "demo/src/a.ts"],
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** Source files of every package below `packagesDir`, tests and test support left out. */
function sourceFiles(packagesDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (
        /\.ts$/.test(entry.name) &&
        !/\.(test|test-d|test-support|prop\.test)\.ts$/.test(entry.name)
      ) {
        files.push(path);
      }
    }
  };
  for (const pkg of readdirSync(packagesDir, { withFileTypes: true })) {
    const src = join(packagesDir, pkg.name, "src");
    if (pkg.isDirectory() && existsSync(src)) walk(src);
  }
  return files.sort();
}

/** Every cycle of relative imports and re-exports, each as a path of files back to its start. */
function findImportCycles(packagesDir: string): string[][] {
  const files = sourceFiles(packagesDir);
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const targets: string[] = [];
    for (const match of text.matchAll(/^(?:import|export)\b[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gms)) {
      const target = resolve(dirname(file), match[1] ?? "");
      if (known.has(target)) targets.push(target);
    }
    edges.set(file, targets);
  }
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "closed">();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    path.push(file);
    for (const target of edges.get(file) ?? []) {
      if (state.get(target) === "open") {
        cycles.push(
          [...path.slice(path.indexOf(target)), target].map((each) => relative(packagesDir, each)),
        );
      } else if (state.get(target) === undefined) visit(target);
    }
    path.pop();
    state.set(file, "closed");
  };
  for (const file of files) if (state.get(file) === undefined) visit(file);
  return cycles;
}
