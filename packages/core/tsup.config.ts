import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  tsconfig: "tsconfig.build.json",
  dts: { entry: ["src/index.ts"] },
  sourcemap: true,
  clean: true,
  treeshake: false,
  splitting: false,
  external: [/^@weft\//, "vitest", /^node:/],
});
