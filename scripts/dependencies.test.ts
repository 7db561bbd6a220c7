import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Every package names what it imports in its own package.json: nothing reaches a package through
// the root's node_modules by luck of hoisting (a "phantom" dependency). The published code of a
// library may import only its `dependencies` and `peerDependencies`; its tests, test supports and
// config files may import its `devDependencies` too. One exception, which turbo forces: a sibling
// workspace package that itself depends on this one (`@weft/testing` depends on `@weft/core`)
// cannot be a devDependency of it, since turbo refuses a cycle in the package graph even through
// devDependencies. Such a sibling is reached through the `@weft/source` condition
// (vitest.shared.ts and the tsconfig project references), and this check allows exactly those.

const root = fileURLToPath(new URL("..", import.meta.url));

type Manifest = {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  bin?: string | Record<string, string>;
};

type Workspace = { dir: string; manifest: Manifest };

/** The workspace folders that hold code: every library, the docs, the bench and the reliability suite. */
function workspaces(): Workspace[] {
  const dirs = [
    ...readdirSync(join(root, "packages")).map((name) => join("packages", name)),
    ...readdirSync(join(root, "apps")).map((name) => join("apps", name)),
    "bench",
    "reliability",
  ];
  return dirs
    .filter((dir) => existsSync(join(root, dir, "package.json")))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as Manifest,
    }));
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/** The bare specifiers `source` imports or re-exports, statically or with `import()`. */
function bareImports(source: string): string[] {
  const found = new Set<string>();
  // Comments hold examples for readers (TSDoc), not imports of this file.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/[^\n]*/g, "$1");
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1] as string;
      if (specifier.startsWith(".") || specifier.startsWith("/")) continue;
      if (specifier.startsWith("node:") || builtinModules.includes(packageOf(specifier))) continue;
      found.add(packageOf(specifier));
    }
  }
  return [...found].sort();
}

/** Whether a file is published code rather than a test, a test support, a config or a script. */
function isPublished(workspace: Workspace, file: string): boolean {
  if (workspace.manifest.private === true) return false;
  if (!file.startsWith("src/")) return false;
  return !/\.(test|test-d|test-support)\.ts$/.test(file) && !/\.prop\.test\.ts$/.test(file);
}

/** The code files of a workspace: `src/` at any depth, and the config files at its top. */
function codeFiles(dir: string): string[] {
  const files: string[] = [];
  const top = readdirSync(join(root, dir), { withFileTypes: true });
  for (const entry of top) {
    if (entry.isFile() && /\.(m?[jt]s)$/.test(entry.name)) files.push(entry.name);
  }
  for (const folder of ["src", "test", "scripts", "snippets", ".vitepress"]) {
    const path = join(root, dir, folder);
    if (!existsSync(path)) continue;
    for (const file of readdirSync(path, { recursive: true, encoding: "utf8" })) {
      if (file.split("/").some((part) => part === "node_modules" || part === "dist")) continue;
      if (/\.(m?[jt]s|vue)$/.test(file)) files.push(join(folder, file));
    }
  }
  return files;
}

/** The workspace packages that `name` reaches through dependencies and devDependencies. */
function reaches(all: Workspace[], from: string): Set<string> {
  const byName = new Map(all.map((workspace) => [workspace.manifest.name, workspace.manifest]));
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const manifest = byName.get(stack.pop() as string);
    if (manifest === undefined) continue;
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
      if (!byName.has(dep) || seen.has(dep)) continue;
      seen.add(dep);
      stack.push(dep);
    }
  }
  return seen;
}

/** Command name → the package that provides it, for every package installed at the root. */
function commandProviders(): Map<string, string> {
  const providers = new Map<string, string>();
  const modules = join(root, "node_modules");
  const names = readdirSync(modules).flatMap((entry) =>
    entry.startsWith("@")
      ? readdirSync(join(modules, entry)).map((name) => `${entry}/${name}`)
      : entry.startsWith(".")
        ? []
        : [entry],
  );
  for (const name of names) {
    const path = join(modules, name, "package.json");
    if (!existsSync(path)) continue;
    const { bin } = JSON.parse(readFileSync(path, "utf8")) as Manifest;
    if (typeof bin === "string") providers.set(packageOf(name).split("/").at(-1) as string, name);
    else for (const command of Object.keys(bin ?? {})) providers.set(command, name);
  }
  return providers;
}

/** The commands a package script runs: the first word of each part of `a && b; c | d`. */
function scriptCommands(script: string): string[] {
  return script
    .split(/&&|\|\||;|\|/)
    .map((part) => part.trim().split(/\s+/)[0] ?? "")
    .filter((command) => command !== "");
}

/** Every command a workspace's scripts run from a package it does not declare. */
function undeclaredCommands(all: Workspace[]): string[] {
  const providers = commandProviders();
  const problems: string[] = [];
  for (const { dir, manifest } of all) {
    const declared = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.devDependencies ?? {}),
    ]);
    for (const [name, script] of Object.entries(manifest.scripts ?? {})) {
      for (const command of scriptCommands(script)) {
        const provider = providers.get(command);
        if (provider !== undefined && !declared.has(provider)) {
          problems.push(`${dir} script ${name}: ${command} (${provider})`);
        }
      }
    }
  }
  return problems;
}

/** Every import that the importing workspace does not declare, as `dir/file → package`. */
function undeclared(all: Workspace[]): string[] {
  const problems: string[] = [];
  for (const workspace of all) {
    const { manifest, dir } = workspace;
    const runtime = new Set([
      manifest.name,
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    const development = new Set([...runtime, ...Object.keys(manifest.devDependencies ?? {})]);
    for (const file of codeFiles(dir)) {
      const source = readFileSync(join(root, dir, file), "utf8");
      for (const imported of bareImports(source)) {
        if (isPublished(workspace, file)) {
          if (!runtime.has(imported)) problems.push(`${dir}/${file} → ${imported} (published)`);
          continue;
        }
        if (development.has(imported)) continue;
        // A sibling that depends on this workspace cannot be declared without a cycle.
        if (reaches(all, imported).has(manifest.name)) continue;
        problems.push(`${dir}/${file} → ${imported}`);
      }
    }
  }
  return problems;
}

describe("declared dependencies", () => {
  const all = workspaces();

  it("covers every workspace that holds code", () => {
    expect(all.map((workspace) => workspace.manifest.name).sort()).toEqual([
      "@weft/bench",
      "@weft/channels",
      "@weft/core",
      "@weft/docs",
      "@weft/reliability",
      "@weft/testing",
      "@weft/timers",
      "@weft/workers",
    ]);
  });

  it("name everything each workspace imports", () => {
    expect(undeclared(all)).toEqual([]);
  });

  it("name the package of every command their scripts run", () => {
    expect(undeclaredCommands(all)).toEqual([]);
  });

  it("reads each command of a script", () => {
    expect(scriptCommands("tsup && publint --strict; attw --pack . | tee out")).toEqual([
      "tsup",
      "publint",
      "attw",
      "tee",
    ]);
  });

  it("leave no cycle in the package graph that turbo reads", () => {
    for (const workspace of all) {
      expect(reaches(all, workspace.manifest.name).has(workspace.manifest.name)).toBe(false);
    }
  });

  it("finds static, re-exported, side-effect and dynamic imports, by package", () => {
    const source = [
      'import { a } from "alpha/sub";',
      'import type { B } from "@scope/beta/deep/path";',
      'export { c } from "gamma";',
      'import "delta";',
      'const e = await import("epsilon");',
      'import { f } from "./local.ts";',
      'import { g } from "node:fs";',
      'import { h } from "path";',
      '/** @example import { i } from "iota"; */',
      '// import { j } from "kappa";',
    ].join("\n");
    expect(bareImports(source)).toEqual(["@scope/beta", "alpha", "delta", "epsilon", "gamma"]);
  });
});
