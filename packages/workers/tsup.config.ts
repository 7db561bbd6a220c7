import type { Options } from "tsup";
import { defineWeftBuild } from "../../tsup.shared.ts";

const options: Options = defineWeftBuild(["src/index.ts"]);

// piscina is the one runtime dependency: resolved by the user's installation, never bundled.
export default { ...options, external: [...(options.external ?? []), "piscina"] } as Options;
