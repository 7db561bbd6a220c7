#!/usr/bin/env node
// Browser test for the built docs site and the built packages, in Debian's headless Chromium.
//
// Serves apps/docs/.vitepress/dist at / and packages/<name>/dist at /pkg/<name>/ from a tiny
// static server on 127.0.0.1 (random port), then:
//   - page checks: the home page renders; navigation (nav bar, then sidebar) reaches the API
//     reference of `taskGroup`; the local search finds `moveOnAfter`; a timeline picture loads;
//     guide and API pages render their headings; no page logs a console error or fails a request;
//   - a crawl of every internal link (and image) of the built site, from the home page: none is
//     dead;
//   - module checks: a page whose import map points "@weft/*" at the built ESM bundles runs each
//     function of `moduleChecks` with page.evaluate (add a check = add one function there).
// Saves a PNG of every page check in apps/docs/.screenshots (git-ignored; WEFT_SCREENSHOTS=<dir>
// saves them elsewhere). Prints `browser: N passed, M failed` and exits 1 on any failure.
//
// Needs `pnpm build` (packages) and `pnpm docs:build` first. Never downloads a browser: uses
// /usr/bin/chromium (or $CHROMIUM_PATH), installing Debian's `chromium` with apt-get when running
// as root and it is missing.

import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const docsRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = join(docsRoot, "..", "..");
const siteDir = join(docsRoot, ".vitepress", "dist");
const packageNames = ["core", "timers", "channels", "testing"];
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// A PNG of every page check, for a person to look at.
const screenshotDir = process.env.WEFT_SCREENSHOTS ?? join(docsRoot, ".screenshots");
/** `text` without VitePress' anchor glyphs (zero-width spaces) and with whitespace collapsed. */
function clean(text) {
  return (text ?? "").replace(/[\u200b\s]+/g, " ").trim();
}

/** The visible text of the first element matching `selector`, without VitePress' anchor glyphs. */
async function textOf(page, selector) {
  return clean(await page.locator(selector).first().textContent());
}

const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

// ---------------------------------------------------------------------------------------------
// Module checks: each runs INSIDE the browser page (serialised by page.evaluate), where the import
// map resolves "@weft/core", "@weft/timers", "@weft/channels", "@weft/testing" to the built
// dist/index.js bundles. Throw to fail; the returned value is printed.
// ---------------------------------------------------------------------------------------------
const moduleChecks = [
  async function loadsCore() {
    const core = await import("@weft/core");
    const names = Object.keys(core);
    if (names.length === 0) throw new Error("@weft/core has no exports");
    return `${names.length} exports`;
  },
  async function loadsEveryPackage() {
    const loaded = await Promise.all([
      import("@weft/core"),
      import("@weft/timers"),
      import("@weft/channels"),
      import("@weft/testing"),
    ]);
    return loaded.map((module) => Object.keys(module).length).join("/");
  },
  async function runsATaskGroup() {
    const { TaskGroupError, gather, run, taskGroup } = await import("@weft/core");
    const results = await run((scope) =>
      gather(scope, [async () => "a", async () => "b", async () => "c"]),
    );
    if (results.join() !== "a,b,c") throw new Error(`gather gave ${JSON.stringify(results)}`);
    const boom = new Error("boom");
    const failure = await run((scope) =>
      taskGroup(scope, async (group) => {
        group.spawn(async () => {
          throw boom;
        });
      }),
    ).then(
      () => undefined,
      (error) => error,
    );
    if (!TaskGroupError.is(failure) || failure.errors[0] !== boom) {
      throw new Error(`a failing child gave ${String(failure)}`);
    }
    return "gather and TaskGroupError";
  },
  async function cancelsASleepOnTimeout() {
    const { moveOnAfter, run } = await import("@weft/core");
    const { sleep } = await import("@weft/timers");
    const started = performance.now();
    const value = await run((scope) =>
      moveOnAfter(scope, 20, async (inner) => {
        await sleep(60_000, inner);
        return "slept";
      }),
    );
    const elapsed = performance.now() - started;
    if (value !== undefined) throw new Error(`moveOnAfter gave ${JSON.stringify(value)}`);
    if (elapsed > 5_000) throw new Error(`moveOnAfter took ${elapsed} ms`);
    return `${Math.round(elapsed)} ms`;
  },
];

// ---------------------------------------------------------------------------------------------

const contentTypes = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

function modulePage() {
  const imports = Object.fromEntries(
    packageNames.map((name) => [`@weft/${name}`, `/pkg/${name}/index.js`]),
  );
  imports["@weft/testing/vitest"] = "/pkg/testing/vitest.js";
  imports["@weft/core/internal"] = "/pkg/core/internal/index.js";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>weft module checks</title>
<link rel="icon" href="data:,">
<script type="importmap">${JSON.stringify({ imports })}</script>
</head>
<body><h1>weft module checks</h1></body>
</html>`;
}

/** Maps a URL path to a file under `base`, refusing anything outside it. */
function fileUnder(base, urlPath) {
  const path = normalize(join(base, decodeURIComponent(urlPath)));
  if (path !== base && !path.startsWith(base + sep)) return undefined;
  return path;
}

function resolveSiteFile(urlPath) {
  const direct = fileUnder(siteDir, urlPath);
  if (direct === undefined) return undefined;
  return [direct, `${direct}.html`, join(direct, "index.html")].find(
    (path) => existsSync(path) && statSync(path).isFile(),
  );
}

function startServer() {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    let file;
    if (url.pathname === "/__weft__/modules.html") {
      response.writeHead(200, { "content-type": contentTypes[".html"] });
      response.end(modulePage());
      return;
    }
    const pkg = /^\/pkg\/([a-z-]+)\/(.*)$/.exec(url.pathname);
    if (pkg?.[1] && packageNames.includes(pkg[1])) {
      file = fileUnder(join(repoRoot, "packages", pkg[1], "dist"), `/${pkg[2] ?? ""}`);
    } else {
      file = resolveSiteFile(url.pathname);
    }
    if (file === undefined || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { "content-type": contentTypes[".txt"] });
      response.end(`not found: ${url.pathname}`);
      return;
    }
    response.writeHead(200, {
      "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    response.end(readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        reject(new Error("server has no port"));
        return;
      }
      resolve({ server, origin: `http://127.0.0.1:${address.port}` });
    });
  });
}

function ensureChromium() {
  if (existsSync(chromiumPath)) return;
  if (process.getuid?.() === 0) {
    console.log(`browser: ${chromiumPath} is missing; installing Debian's chromium with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
      stdio: "inherit",
      env,
    });
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. Install it (as root: \`apt-get install -y chromium\`) ` +
        "or set CHROMIUM_PATH. The browser test never downloads a browser of its own.",
    );
  }
}

/** The first generated API page under the built site (a package's index page if there is one). */
function firstApiPage() {
  const apiDir = join(siteDir, "api");
  if (!existsSync(apiDir)) throw new Error(`no API reference in the built site (${apiDir})`);
  const pages = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".html")) pages.push(path);
    }
  };
  walk(apiDir);
  pages.sort();
  const page =
    pages.find((path) => path.endsWith(`${sep}core${sep}index.html`)) ??
    pages.find((path) => path.includes(`${sep}core${sep}`)) ??
    pages[0];
  if (page === undefined) throw new Error("the built API reference has no pages");
  return `/${relative(siteDir, page).split(sep).join("/")}`;
}

/**
 * Follows every internal `href` and `src` of the built site's pages, from the home page, and
 * fails listing each one that does not resolve (with the page that links to it).
 */
async function crawl(origin) {
  const seen = new Set(["/"]);
  const queue = ["/"];
  const dead = [];
  let pages = 0;
  while (queue.length > 0) {
    const path = queue.shift() ?? "/";
    const response = await fetch(`${origin}${path}`);
    const type = response.headers.get("content-type") ?? "";
    if (!type.startsWith("text/html")) continue;
    pages += 1;
    const html = await response.text();
    for (const match of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
      const raw = (match[1] ?? "").replace(/&amp;/g, "&");
      if (raw.startsWith("#") || /^(mailto|data|javascript):/.test(raw)) continue;
      const url = new URL(raw, `${origin}${path}`);
      if (url.origin !== origin) continue;
      const target = decodeURI(url.pathname);
      if (seen.has(target)) continue;
      seen.add(target);
      const found = await fetch(`${origin}${encodeURI(target)}`, { method: "HEAD" });
      if (found.status >= 400) dead.push(`${target} (${found.status}, linked from ${path})`);
      else if (!/\.[a-z0-9]+$/i.test(target) || target.endsWith(".html")) queue.push(target);
    }
  }
  if (dead.length > 0) throw new Error(`${dead.length} dead links:\n    ${dead.join("\n    ")}`);
  return `${pages} pages, ${seen.size} internal links and assets`;
}

async function main() {
  for (const name of packageNames) {
    if (!existsSync(join(repoRoot, "packages", name, "dist", "index.js"))) {
      throw new Error(`packages/${name}/dist/index.js is missing: run \`pnpm build\` first`);
    }
  }
  if (!existsSync(join(siteDir, "index.html"))) {
    throw new Error(`${siteDir}/index.html is missing: run \`pnpm docs:build\` first`);
  }
  ensureChromium();

  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });
  const { server, origin } = await startServer();
  const userDataDir = mkdtempSync(join(tmpdir(), "weft-chromium-"));
  let passed = 0;
  let failed = 0;
  const pageErrors = [];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    timeout: 60_000,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) {
        pageErrors.push(`${page.url()}: ${response.status()} for ${response.url()}`);
      }
    });

    const check = async (name, fn) => {
      const errorsBefore = pageErrors.length;
      try {
        const detail = await fn();
        if (!page.url().includes("/__weft__/")) {
          const file = `${name.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}.png`;
          await page.screenshot({ path: join(screenshotDir, file), fullPage: false });
        }
        if (pageErrors.length > errorsBefore) {
          throw new Error(`page errors:\n    ${pageErrors.slice(errorsBefore).join("\n    ")}`);
        }
        passed += 1;
        console.log(`  ✓ ${name}${detail === undefined ? "" : ` (${detail})`}`);
      } catch (error) {
        failed += 1;
        console.log(`  ✗ ${name}\n    ${error instanceof Error ? error.message : String(error)}`);
      }
    };

    await check("home page renders the hero", async () => {
      await page.goto(`${origin}/`, { waitUntil: "load" });
      const title = await page.title();
      if (!title.includes("Weft")) throw new Error(`title is ${JSON.stringify(title)}`);
      const hero = await textOf(page, ".VPHero .name");
      if (hero !== "Weft") throw new Error(`hero name is ${JSON.stringify(hero)}`);
      return title;
    });

    await check("navigation reaches the API reference of taskGroup", async () => {
      await page.goto(`${origin}/`, { waitUntil: "load" });
      await page.locator(".VPNavBar a", { hasText: /^API$/ }).first().click();
      await page.waitForURL(/\/api\/?$/);
      // The sidebar's group of @weft/core links to the package's page, which lists its exports.
      await page.locator(".VPSidebar a[href$='/api/@weft/core/']").first().click();
      await page.waitForURL(/\/api\/@weft\/core\/$/);
      await page
        .locator(".vp-doc a", { hasText: /^taskGroup$/ })
        .first()
        .click();
      await page.waitForURL(/\/api\/@weft\/core\/functions\/taskGroup$/);
      const heading = await textOf(page, ".vp-doc h1");
      if (!heading.includes("taskGroup")) throw new Error(`h1 is ${JSON.stringify(heading)}`);
      const examples = await page.locator(".vp-doc div[class*='language-ts']").count();
      if (examples === 0) throw new Error("the taskGroup page shows no TypeScript example");
      return `${new URL(page.url()).pathname}: ${heading}`;
    });

    await check("the local search finds moveOnAfter", async () => {
      await page.goto(`${origin}/guide/getting-started`, { waitUntil: "load" });
      await page.locator("button.DocSearch-Button").first().click();
      await page.locator("#localsearch-input").fill("moveOnAfter");
      const results = page.locator(".VPLocalSearchBox .results .result");
      await results.first().waitFor();
      const texts = (await results.allTextContents()).map(clean);
      const hit = texts.find((text) => text.includes("moveOnAfter"));
      if (hit === undefined)
        throw new Error(`no result mentions moveOnAfter: ${JSON.stringify(texts)}`);
      await page.keyboard.press("Escape");
      return `${texts.length} results, first: ${texts[0]?.slice(0, 60)}`;
    });

    await check("a timeline picture loads", async () => {
      await page.goto(`${origin}/guide/task-groups`, { waitUntil: "load" });
      const image = page.locator("img[src*='timelines/group-failure.svg']").first();
      await image.scrollIntoViewIfNeeded();
      const size = await image.evaluate(async (element) => {
        const img = /** @type {HTMLImageElement} */ (element);
        if (!img.complete) await new Promise((resolve) => img.addEventListener("load", resolve));
        return { width: img.naturalWidth, height: img.naturalHeight };
      });
      if (size.width === 0 || size.height === 0) {
        throw new Error(`the picture did not load (${size.width}×${size.height})`);
      }
      return `${size.width}×${size.height}`;
    });

    await check("guide page renders its heading", async () => {
      await page.goto(`${origin}/guide/getting-started`, { waitUntil: "load" });
      const heading = await textOf(page, ".vp-doc h1");
      if (!heading.startsWith("Getting started")) {
        throw new Error(`h1 is ${JSON.stringify(heading)}`);
      }
      return heading;
    });

    await check("testing guide renders its sections and code", async () => {
      await page.goto(`${origin}/guide/testing`, { waitUntil: "load" });
      const heading = await textOf(page, ".vp-doc h1");
      if (!heading.startsWith("Testing")) throw new Error(`h1 is ${JSON.stringify(heading)}`);
      const sections = (await page.locator(".vp-doc h2").allTextContents()).map(clean);
      for (const expected of ["fakeTime", "Autojump", "Deadlocks", "vitest fixtures"]) {
        if (!sections.some((section) => section.startsWith(expected))) {
          throw new Error(`no "${expected}" section among ${JSON.stringify(sections)}`);
        }
      }
      const codeBlocks = await page.locator(".vp-doc div[class*='language-ts']").count();
      if (codeBlocks === 0) throw new Error("the page shows no TypeScript code block");
      return `${sections.length} sections, ${codeBlocks} TypeScript blocks`;
    });

    const apiPath = firstApiPage();
    await check(`API page ${apiPath} renders`, async () => {
      await page.goto(`${origin}${apiPath}`, { waitUntil: "load" });
      const heading = await textOf(page, ".vp-doc h1");
      if (heading === "") throw new Error("the API page has no h1");
      const sidebarLinks = await page.locator(".VPSidebar a").count();
      if (sidebarLinks === 0) throw new Error("the API page has no sidebar links");
      return `${heading}; ${sidebarLinks} sidebar links`;
    });

    await check("no internal link of the site is dead", () => crawl(origin));

    await page.goto(`${origin}/__weft__/modules.html`, { waitUntil: "load" });
    for (const fn of moduleChecks) {
      await check(`module check ${fn.name}`, () => page.evaluate(fn));
    }
  } finally {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(userDataDir, { recursive: true, force: true });
  }

  console.log(`browser: ${passed} passed, ${failed} failed`);
  if (failed > 0) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error(`browser: ${error instanceof Error ? error.message : String(error)}`);
  console.log("browser: 0 passed, 1 failed");
  process.exitCode = 1;
}
