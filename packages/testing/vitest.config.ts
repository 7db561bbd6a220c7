import { defineWeftProject } from "../../vitest.shared.ts";

export default defineWeftProject("@weft/testing", import.meta.dirname);
