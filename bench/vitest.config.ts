import { defineWeftProject } from "../vitest.shared.ts";

export default defineWeftProject("@weft/bench", import.meta.dirname);
