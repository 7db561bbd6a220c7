import { defineWeftProject } from "../../vitest.shared.ts";

export default defineWeftProject("@weft/channels", import.meta.dirname);
