import { defineWeftBuild } from "../../tsup.shared.ts";

export default defineWeftBuild(["src/index.ts", "src/internal/index.ts"]);
