#!/usr/bin/env node
// Bundles `pnpm demo`: examples/src/demo.ts and the worker file of the offload example, from the
// packages' TypeScript source (the "@weft/source" condition), into node_modules/.cache/weft/, side
// by side so that `new URL("./primes-task.mjs", import.meta.url)` finds the worker file.
// piscina stays outside the bundle (it starts its threads from its own files): the bundle imports
// it by the file URL it resolves to from @weft/workers.

import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Leaves piscina external, imported by its resolved file URL. */
const piscinaByUrl = {
  name: "piscina-by-url",
  setup(context) {
    context.onResolve({ filter: /^piscina$/ }, async (args) => {
      if (args.pluginData === "piscina-by-url") return undefined;
      const resolved = await context.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: "piscina-by-url",
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
  },
};

await build({
  entryPoints: {
    demo: join(root, "examples", "src", "demo.ts"),
    "primes-task": join(root, "examples", "src", "primes-task.mjs"),
  },
  outdir: join(root, "node_modules", ".cache", "weft"),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20", // down-levels `await using`
  format: "esm",
  conditions: ["@weft/source"],
  logLevel: "warning",
  plugins: [piscinaByUrl],
});
