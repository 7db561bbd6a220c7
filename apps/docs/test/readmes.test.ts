// Every package has a README that npm publishes with it: what the package is, how to install it,
// an example, and where its documentation is. `npm pack --dry-run` lists what would be published.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const packages = ["core", "timers", "channels", "testing", "workers"];

async function packedFiles(dir: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    "npm",
    ["pack", "--dry-run", "--json", "--ignore-scripts", "--offline"],
    { cwd: dir, env: { ...process.env, npm_config_loglevel: "silent" } },
  );
  const [report] = JSON.parse(stdout) as { files: { path: string }[] }[];
  return (report?.files ?? []).map((file) => file.path);
}

describe("package READMEs", () => {
  for (const name of packages) {
    const dir = join(repoRoot, "packages", name);

    it(`@weft/${name} has a README that starts with its name`, () => {
      expect(readFileSync(join(dir, "README.md"), "utf8").startsWith(`# @weft/${name}\n`)).toBe(
        true,
      );
    });

    it.concurrent(`npm pack of @weft/${name} contains its README`, async () => {
      const files = await packedFiles(dir);
      expect(files).toContain("README.md");
      expect(files).toContain("package.json");
    }, 90_000);
  }

  // The READMEs of channels and workers are their packages' own; these three are the site's.
  for (const name of ["core", "timers", "testing"]) {
    it(`@weft/${name}'s README installs it, shows an example and points to the docs`, () => {
      const readme = readFileSync(join(repoRoot, "packages", name, "README.md"), "utf8");
      expect(readme).toMatch(/```sh\nnpm install [^\n]*@weft\//);
      expect(readme).toMatch(/```ts\n[\s\S]*?import [^\n]*"@weft\//);
      expect(readme).toContain("[`apps/docs`](../../apps/docs)");
      expect(readme).toContain("`pnpm docs:dev`");
    });
  }
});
