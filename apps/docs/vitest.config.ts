import { defineWeftProject } from "../../vitest.shared.ts";

// The guides' code blocks, type-checked and run against the packages' source (test/guides.test.ts).
export default defineWeftProject("@weft/docs", import.meta.dirname, {
  include: ["test/**/*.test.ts"],
});
