import { defineConfig, type Options } from "tsup";

/**
 * The build of one package: ESM + `.d.ts` for each entry, every `@weft/*`, `vitest` and `node:`
 * import left external. Several entries share code through chunks.
 */
export function defineWeftBuild(entries: string[]): Options {
  return defineConfig({
    entry: entries,
    format: ["esm"],
    target: "es2022",
    platform: "neutral",
    tsconfig: "tsconfig.build.json",
    dts: { entry: entries },
    sourcemap: true,
    clean: true,
    treeshake: false,
    splitting: entries.length > 1,
    external: [/^@weft\//, "vitest", /^node:/],
  }) as Options;
}
