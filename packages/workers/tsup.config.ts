import type { Options } from "tsup";
import { defineWeftBuild } from "../../tsup.shared.ts";

// Two builds of one API: Node (piscina) and browsers (module Web Workers), sharing chunks.
const options: Options = defineWeftBuild(["src/index.ts", "src/index.browser.ts"]);

// piscina is the one runtime dependency: resolved by the user's installation, never bundled.
export default { ...options, external: [...(options.external ?? []), "piscina"] } as Options;
