import { defineWeftProject } from "../../vitest.shared.ts";

export default defineWeftProject("@weft/timers", import.meta.dirname);
