#!/usr/bin/env node
// Browser test of @weft/workers: real module Web Workers in Debian's headless Chromium.
//
// Bundles test/fixtures/browser/{checks,tasks}.mjs with esbuild for the browser (so
// "@weft/workers" resolves through the package's `browser` condition to the BUILT
// dist/index.browser.js, and "@weft/core" to its dist), serves them on 127.0.0.1 from a tiny
// node:http server, opens a page that loads checks.js, and runs each function of
// `window.weftWorkerChecks` in the page (each opens pools of workers running tasks.js).
// Prints `workers browser: N passed, M failed` and exits 1 on any failure.
//
// Needs `pnpm build` first. Never downloads a browser: uses /usr/bin/chromium (or $CHROMIUM_PATH).

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(packageRoot, "test", "fixtures", "browser");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
];
const checkTimeout = 15_000;
const label = "workers browser";

const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>weft workers checks</title><link rel="icon" href="data:,"></head>
<body><h1>weft workers checks</h1><script type="module" src="/checks.js"></script></body>
</html>`;

/** checks.js and tasks.js, bundled for the browser from the built packages. */
async function bundle(outdir) {
  await build({
    entryPoints: {
      checks: join(fixtures, "checks.mjs"),
      tasks: join(fixtures, "tasks.mjs"),
    },
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    sourcemap: "inline",
    logLevel: "warning",
  });
}

function serve(outdir) {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (path === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(page);
      return;
    }
    const file = /^\/(checks|tasks)\.js$/.exec(path);
    if (file === null) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end(`not found: ${path}`);
      return;
    }
    response.writeHead(200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "no-store",
    });
    response.end(readFileSync(join(outdir, `${file[1]}.js`)));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("no port"));
      else resolve({ server, origin: `http://127.0.0.1:${address.port}` });
    });
  });
}

async function main() {
  if (!existsSync(join(packageRoot, "dist", "index.browser.js"))) {
    throw new Error("packages/workers/dist/index.browser.js is missing: run `pnpm build` first");
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath} (install Debian's chromium or set CHROMIUM_PATH)`,
    );
  }
  const scratch = mkdtempSync(join(tmpdir(), "weft-workers-browser-"));
  const outdir = join(scratch, "out");
  await bundle(outdir);
  const { server, origin } = await serve(outdir);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    timeout: 60_000,
  });
  let passed = 0;
  let failed = 0;
  try {
    const tab = await browser.newPage();
    const pageErrors = [];
    tab.on("pageerror", (error) => pageErrors.push(error.message));
    tab.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    await tab.goto(`${origin}/`, { waitUntil: "load" });
    await tab.waitForFunction(() => window.weftWorkerChecksReady === true, null, {
      timeout: checkTimeout,
    });
    const names = await tab.evaluate(() => Object.keys(window.weftWorkerChecks));
    for (const name of names) {
      const errorsBefore = pageErrors.length;
      try {
        const detail = await Promise.race([
          tab.evaluate((check) => window.weftWorkerChecks[check](), name),
          new Promise((_, reject) =>
            setTimeout(
              () => reject(new Error(`timed out after ${checkTimeout} ms`)),
              checkTimeout,
            ).unref(),
          ),
        ]);
        if (pageErrors.length > errorsBefore) {
          throw new Error(`page errors:\n    ${pageErrors.slice(errorsBefore).join("\n    ")}`);
        }
        passed += 1;
        console.log(`  ✓ ${name} (${detail})`);
      } catch (error) {
        failed += 1;
        console.log(`  ✗ ${name}\n    ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (names.length === 0) {
      failed += 1;
      console.log("  ✗ the page defined no checks");
    }
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  if (failed > 0) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error(`${label}: ${error instanceof Error ? error.message : String(error)}`);
  console.log(`${label}: 0 passed, 1 failed`);
  process.exitCode = 1;
}
