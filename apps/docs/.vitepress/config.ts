import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { type DefaultTheme, defineConfig } from "vitepress";

const docsRoot = join(import.meta.dirname, "..");
const apiRoot = join(docsRoot, "api");

/** The text of a generated page's first `#` heading, else its file name. */
function titleOf(file: string): string {
  const heading = /^#\s+(.+)$/m.exec(readFileSync(file, "utf8"));
  const text = heading?.[1] ?? file.replace(/\.md$/, "");
  return text.replace(/\\/g, "").replace(/`/g, "").trim();
}

function linkOf(file: string): string {
  return `/${relative(docsRoot, file)
    .replace(/\\/g, "/")
    .replace(/(index)?\.md$/, "")}`;
}

/** Sidebar labels of typedoc-plugin-markdown's kind folders. */
const kindLabels: Record<string, string> = {
  classes: "Classes",
  functions: "Functions",
  interfaces: "Interfaces",
  "type-aliases": "Type aliases",
  variables: "Variables",
  enumerations: "Enumerations",
  namespaces: "Namespaces",
};

/** Packages in the order of the design (core first), everything else alphabetically. */
const packageOrder = ["core", "timers", "channels", "testing", "workers"];
function byPackageOrder(a: string, b: string): number {
  const rank = (name: string): number => {
    const index = packageOrder.indexOf(name);
    return index === -1 ? packageOrder.length : index;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** Module groups, told apart from kind groups when a module's folder holds other modules. */
const moduleGroups = new WeakSet<DefaultTheme.SidebarItem>();

function hasKindFolders(dir: string): boolean {
  return readdirSync(dir).some(
    (name) => kindLabels[name] !== undefined && statSync(join(dir, name)).isDirectory(),
  );
}

/**
 * The sidebar of the typedoc output (apps/docs/api, generated, never edited): one collapsible
 * group per module (labelled by its page's heading), one per kind of export inside it, and one
 * link per export. Folders with no page of their own (`@weft/`) are flattened, and so is the page
 * of a package with several entry points (`@weft/testing`): its modules are listed in its place.
 */
function apiItems(dir: string): DefaultTheme.SidebarItem[] {
  const items: DefaultTheme.SidebarItem[] = [];
  for (const name of readdirSync(dir).sort(byPackageOrder)) {
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) {
      if (name.endsWith(".md") && name !== "index.md") {
        items.push({ text: name.replace(/\.md$/, ""), link: linkOf(path) });
      }
      continue;
    }
    const kind = kindLabels[name];
    const index = join(path, "index.md");
    if (kind !== undefined) {
      items.push({ text: kind, collapsed: false, items: apiItems(path) });
    } else if (existsSync(index) && hasKindFolders(path)) {
      items.push(...moduleItems(path, index));
    } else {
      items.push(...apiItems(path));
    }
  }
  return items;
}

/**
 * A module's group. typedoc puts a module named `@weft/testing/vitest` in a folder inside the
 * folder of `@weft/testing`: such nested modules follow the group instead of hiding inside it.
 */
function moduleItems(dir: string, index: string): DefaultTheme.SidebarItem[] {
  const own: DefaultTheme.SidebarItem[] = [];
  const nested: DefaultTheme.SidebarItem[] = [];
  for (const item of apiItems(dir)) (moduleGroups.has(item) ? nested : own).push(item);
  const group: DefaultTheme.SidebarItem = {
    text: titleOf(index),
    link: linkOf(index),
    collapsed: true,
    items: own,
  };
  moduleGroups.add(group);
  return [group, ...nested];
}

function apiSidebar(): DefaultTheme.SidebarItem[] {
  if (!existsSync(apiRoot)) {
    return [{ text: "Run `pnpm --filter @weft/docs docs:api` to generate the API reference" }];
  }
  return [{ text: "API reference", link: "/api/", items: apiItems(apiRoot) }];
}

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: "Introduction",
    items: [{ text: "Getting started", link: "/guide/getting-started" }],
  },
  {
    text: "Structured concurrency",
    items: [
      { text: "Cancellation", link: "/guide/cancellation" },
      { text: "Task groups", link: "/guide/task-groups" },
      { text: "Sync primitives", link: "/guide/sync-primitives" },
      { text: "Limiter", link: "/guide/limiter" },
      { text: "Channels and queues", link: "/guide/channels" },
      { text: "Offloading CPU-bound work", link: "/guide/workers" },
    ],
  },
  {
    text: "Time",
    items: [
      { text: "Timers", link: "/guide/timers" },
      { text: "Testing", link: "/guide/testing" },
    ],
  },
  {
    text: "Coming from",
    items: [
      { text: "asyncio and trio", link: "/guide/from-asyncio" },
      { text: "p-limit and p-queue", link: "/guide/from-p-limit" },
      { text: "vitest and sinon fake timers", link: "/guide/from-fake-timers" },
    ],
  },
  {
    text: "Extending Weft",
    items: [{ text: "Library authors", link: "/guide/library-authors" }],
  },
  {
    text: "Reference",
    items: [{ text: "Performance", link: "/guide/performance" }],
  },
];

export default defineConfig({
  title: "Weft",
  description: "Structured concurrency for TypeScript on plain async/await.",
  lang: "en-US",
  cleanUrls: true,
  lastUpdated: false,
  head: [["link", { rel: "icon", type: "image/svg+xml", href: "/favicon.svg" }]],
  themeConfig: {
    nav: [
      { text: "Guide", link: "/guide/getting-started", activeMatch: "^/guide/" },
      { text: "API", link: "/api/", activeMatch: "^/api/" },
    ],
    sidebar: {
      "/guide/": guide,
      "/api/": apiSidebar(),
    },
    search: { provider: "local" },
    outline: [2, 3],
  },
});
