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
const packageOrder = ["core", "timers", "channels", "testing"];
function byPackageOrder(a: string, b: string): number {
  const rank = (name: string): number => {
    const index = packageOrder.indexOf(name);
    return index === -1 ? packageOrder.length : index;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

/**
 * The sidebar of the typedoc output (apps/docs/api, generated, never edited): one collapsible
 * group per package or module (labelled by its page's heading), one per kind of export inside it,
 * and one link per export. Folders with no page of their own (`@weft/`) are flattened.
 */
function apiItems(dir: string): DefaultTheme.SidebarItem[] {
  const items: DefaultTheme.SidebarItem[] = [];
  for (const name of readdirSync(dir).sort(byPackageOrder)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const index = join(path, "index.md");
      const kind = kindLabels[name];
      if (kind !== undefined) {
        items.push({ text: kind, collapsed: false, items: apiItems(path) });
      } else if (existsSync(index)) {
        items.push({
          text: titleOf(index),
          link: linkOf(index),
          collapsed: true,
          items: apiItems(path),
        });
      } else {
        items.push(...apiItems(path));
      }
    } else if (name.endsWith(".md") && name !== "index.md") {
      items.push({ text: name.replace(/\.md$/, ""), link: linkOf(path) });
    }
  }
  return items;
}

function apiSidebar(): DefaultTheme.SidebarItem[] {
  if (!existsSync(apiRoot)) {
    return [{ text: "Run `pnpm --filter @weft/docs docs:api` to generate the API reference" }];
  }
  return [{ text: "API reference", link: "/api/", items: apiItems(apiRoot) }];
}

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: "Guide",
    items: [
      { text: "Getting started", link: "/guide/getting-started" },
      { text: "Cancellation", link: "/guide/cancellation" },
      { text: "Task groups", link: "/guide/task-groups" },
    ],
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
      { text: "Guide", link: "/guide/getting-started" },
      { text: "API", link: "/api/" },
    ],
    sidebar: {
      "/guide/": guide,
      "/api/": apiSidebar(),
    },
    search: { provider: "local" },
    outline: [2, 3],
  },
});
