import { defineWeftProject } from "../vitest.shared.ts";

export default defineWeftProject("@weft/reliability", import.meta.dirname);
