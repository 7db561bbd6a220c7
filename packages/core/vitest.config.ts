import { defineWeftProject } from "../../vitest.shared.ts";

export default defineWeftProject("@weft/core", import.meta.dirname);
