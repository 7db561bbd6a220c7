import { defineWeftProject } from "../../vitest.shared.ts";

export default defineWeftProject("@weft/workers", import.meta.dirname);
