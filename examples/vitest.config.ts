import { defineWeftProject } from "../vitest.shared.ts";

export default defineWeftProject("@weft/examples", import.meta.dirname);
