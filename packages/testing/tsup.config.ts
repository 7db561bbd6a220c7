import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/vitest.ts"],
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  tsconfig: "tsconfig.build.json",
  dts: { entry: ["src/index.ts", "src/vitest.ts"] },
  sourcemap: true,
  clean: true,
  treeshake: false,
  splitting: true,
  external: [/^@weft\//, "vitest", /^node:/],
});
