// `pnpm bench`: Weft beside hand-written baselines and the peers users would pick instead.
// Each (library, workload, n) runs in a fresh child process (`node --expose-gc`), warmed up, as the
// median of repeated runs, every run checked for its result. Prints ONE markdown table and writes it
// to results/<date>.md and results/latest.md.
// `--quick`: every case once at a small size (src/quick.mjs), nothing written: a correctness smoke
// (it fails on a wrong result or a leaked timer, never on a timing).
// `--only=<id>,<id>`: just those workloads (nothing written). `--raw=<file>`: also save the
// measurements as JSON; `--from=<file>,<file>`: measure nothing, write the table of saved
// measurements (several partial runs, in workload order).
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { figure, growth, power } from "./src/measure.mjs";
import { quickSize } from "./src/quick.mjs";
import { loadWorkload, workloadIds } from "./src/suites.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args
  .find((arg) => arg.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const option = (name) =>
  args.find((arg) => arg.startsWith(`--${name}=`))?.slice(`--${name}=`.length);
const raw = option("raw");
const from = option("from")?.split(",");
const child = fileURLToPath(new URL("./src/child.mjs", import.meta.url));
// A case whose next size is projected (at its measured growth, at least linear) to take longer
// than this per run is not run at that size: the table says so.
const budgetMs = 8000;

/** Runs `name` (or, with `--quick`, `*`: every case) in a fresh process; resolves with its lines by case. */
function measureInChild(workload, name, n) {
  const argv = [
    "--expose-gc",
    "--disable-warning=ExperimentalWarning",
    child,
    workload.id,
    name,
    String(n),
  ];
  if (quick) argv.push("--quick");
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const lines = new Map();
      for (const text of stdout.trim().split("\n")) {
        try {
          const line = JSON.parse(text);
          lines.set(line.case, line);
        } catch {
          // Not a result line.
        }
      }
      const expected = name === "*" ? Object.keys(workload.cases) : [name];
      for (const label of expected) {
        if (!lines.has(label)) {
          lines.set(label, { error: `no result (${error?.message ?? "child exited"})\n${stderr}` });
        }
      }
      resolve(lines);
    });
  });
}

const saved =
  from === undefined ? undefined : from.flatMap((file) => JSON.parse(readFileSync(file, "utf8")));
const ids =
  saved !== undefined
    ? workloadIds.filter((id) => saved.some((entry) => entry.id === id))
    : only === undefined
      ? workloadIds
      : workloadIds.filter((id) => only.includes(id));
const selected = await Promise.all(ids.map(loadWorkload));
const started = performance.now();
const loadBefore = loadavg();
const failures = [];
const measured = [];

for (const workload of saved === undefined ? selected : []) {
  const sizes = quick ? [quickSize(workload)] : workload.sizes;
  const rows = Object.keys(workload.cases).map((name) => ({ name, cells: new Map(), skipped: [] }));
  for (const [index, n] of sizes.entries()) {
    const batch = quick ? await measureInChild(workload, "*", n) : undefined;
    for (const row of rows) {
      if (row.skipped.length > 0 || n > (workload.maxSize?.[row.name] ?? n)) {
        row.skipped.push(n);
        continue;
      }
      // Weft and the hand-written baseline run at every size; only peers may stop early.
      const essential = row.name === workload.subject || row.name === workload.baseline;
      if (
        index > 0 &&
        !essential &&
        !projectedInBudget(row, sizes[index - 1], n, sizes[index - 2])
      ) {
        row.skipped.push(n);
        continue;
      }
      const result = (batch ?? (await measureInChild(workload, row.name, n))).get(row.name);
      if (result.error !== undefined) {
        failures.push(`${workload.id} / ${row.name} / n = ${n}: ${result.error}`);
        row.skipped.push(n);
        continue;
      }
      row.cells.set(n, result);
      process.stderr.write(
        `${workload.id.padEnd(18)} ${row.name.padEnd(36)} n=${String(n).padEnd(8)} ${figure(result.value)}\n`,
      );
    }
  }
  measured.push({ workload, sizes, rows });
}
for (const workload of saved === undefined ? [] : selected) {
  const entry = saved.find((candidate) => candidate.id === workload.id);
  const rows = entry.rows.map((row) => ({ ...row, cells: new Map(row.cells) }));
  measured.push({ workload, sizes: entry.sizes, rows });
}
if (raw !== undefined) {
  const entries = measured.map(({ workload, sizes, rows }) => ({
    id: workload.id,
    sizes,
    load: [loadBefore[0], loadavg()[0]],
    rows: rows.map((row) => ({ ...row, cells: [...row.cells] })),
  }));
  writeFileSync(raw, JSON.stringify(entries));
}

/** Whether `row`'s run at `n` is expected to fit the budget, from its wall times so far. */
function projectedInBudget(row, previous, n, beforePrevious) {
  const last = row.cells.get(previous);
  if (last === undefined) return false;
  let exponent = 1;
  const earlier = beforePrevious === undefined ? undefined : row.cells.get(beforePrevious);
  if (earlier !== undefined)
    exponent = Math.max(1, growth(beforePrevious, earlier.wall, previous, last.wall));
  return last.wall * (n / previous) ** exponent <= budgetMs;
}

const allSizes = [...new Set(measured.flatMap((m) => m.sizes))].sort((a, b) => a - b);
const table = renderTable(measured, allSizes);
const loadAfter = loadavg();
const minutes = ((performance.now() - started) / 60_000).toFixed(1);
const machine = `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}`;
const header = [
  `# Weft benchmarks${quick ? " (quick)" : ""}`,
  "",
  saved === undefined
    ? `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine}; load average ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after (the machine is shared: timings are noisy); ${minutes} min in all.`
    : `Assembled ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC from ${from.length} runs by workload on ${machine}; load average between ${Math.min(...saved.flatMap((e) => e.load)).toFixed(2)} and ${Math.max(...saved.flatMap((e) => e.load)).toFixed(2)} (the machine is shared: timings are noisy).`,
  "",
  "Figures are medians in ms (bytes per task for memory) of repeated runs after a warm-up, each (library, workload, n) in a fresh process; every run's result was checked (sums, order, no timer left). *growth*: the exponent k of time ∝ nᵏ between successive sizes (1 is linear). *÷ baseline*: the row's figure over the hand-written baseline's at the largest size both ran; *Weft ÷ row*: Weft's figure over the row's. A dash: a peer not run at that size, because its previous sizes projected more than 8 s per run (Weft and the baselines run at every size). *peak RSS*: the process at the smallest → the largest size run.",
  "",
  "",
].join("\n");
const markdown = `${header}${table}\n`;
console.log(markdown);

if (failures.length > 0) {
  console.error(`bench: ${failures.length} measurement(s) failed:\n${failures.join("\n")}`);
  process.exitCode = 1;
} else if (!quick && only === undefined) {
  // A full run, or the table of saved runs.
  const results = new URL("./results/", import.meta.url);
  writeFileSync(new URL(`${new Date().toISOString().slice(0, 10)}.md`, results), markdown);
  writeFileSync(new URL("latest.md", results), markdown);
  console.log("written to bench/results/latest.md");
}

function renderTable(measured, sizes) {
  const head = [
    "workload",
    "library",
    ...sizes.map(power),
    "growth",
    "peak RSS",
    "÷ baseline",
    "Weft ÷ row",
    "target (Weft)",
    "notes",
  ];
  const lines = [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`];
  for (const { workload, rows } of measured) {
    const byName = new Map(rows.map((row) => [row.name, row]));
    const subject = byName.get(workload.subject);
    const baseline = byName.get(workload.baseline);
    for (const row of rows) {
      const cells = sizes.map((n) => {
        if (!(quick ? [quickSize(workload)] : workload.sizes).includes(n)) return "";
        const result = row.cells.get(n);
        return result === undefined ? "—" : figure(result.value);
      });
      const largest = [...row.cells.keys()].at(-1);
      const exponents = [];
      const ns = [...row.cells.keys()];
      for (let i = 1; i < ns.length; i++) {
        exponents.push(
          growth(
            ns[i - 1],
            row.cells.get(ns[i - 1]).value,
            ns[i],
            row.cells.get(ns[i]).value,
          ).toFixed(2),
        );
      }
      const smallest = ns[0];
      const rss =
        largest === undefined
          ? ""
          : smallest === largest
            ? megabytes(row.cells.get(largest).rssMB)
            : `${megabytes(row.cells.get(smallest).rssMB)} → ${megabytes(row.cells.get(largest).rssMB)}`;
      const toBaseline = row === baseline ? "1" : ratioText(row, baseline);
      const weftOver = row === subject ? "" : ratioText(subject, row);
      const target =
        row !== subject ? "" : quick ? "(quick: no verdict)" : targetText(workload, byName);
      const notes =
        largest === undefined ? "not measured" : notesText(row.cells.get(largest).extra);
      const title = row === rows[0] ? workload.title : "";
      lines.push(
        `| ${[title, row.name, ...cells, exponents.join(" · "), rss, toBaseline, weftOver, target, notes].join(" | ")} |`,
      );
    }
  }
  return lines.join("\n");
}

/** a's figure over b's at the largest size both ran. */
function ratioAt(a, b) {
  if (a === undefined || b === undefined) return undefined;
  const common = [...a.cells.keys()].filter((n) => b.cells.has(n)).at(-1);
  if (common === undefined) return undefined;
  return { ratio: a.cells.get(common).value / b.cells.get(common).value, n: common };
}

function ratioText(a, b) {
  const found = ratioAt(a, b);
  return found === undefined ? "" : `${found.ratio.toFixed(2)} (${power(found.n)})`;
}

function targetText(workload, byName) {
  const subject = byName.get(workload.subject);
  const against = workload.targetAgainst ?? workload.baseline;
  if (against === "grace") {
    const ms = [...subject.cells.values()].at(-1)?.value;
    if (ms === undefined) return "not measured";
    const ratio = ms / workload.target;
    return `≈ grace (${workload.target} ms): ${ratio >= 0.9 && ratio <= 1.5 ? "met" : "missed"} (${figure(ms)} ms)`;
  }
  let other;
  if (against === "best peer") {
    const peers = [...byName.values()].filter(
      (row) => row.name !== workload.subject && row.name !== workload.baseline,
    );
    other = peers
      .map((row) => ({ row, found: ratioAt(row, subject) }))
      .filter(({ found }) => found !== undefined)
      .sort((a, b) => a.found.ratio - b.found.ratio)[0]?.row;
  } else other = byName.get(against);
  const found = ratioAt(subject, other);
  if (found === undefined) return "not measured";
  const largest = workload.sizes.at(-1);
  const atLargest = found.n === largest ? "" : ` at ${power(found.n)}`;
  const name = against === workload.baseline ? "" : ` ÷ ${other.name}`;
  let text = `≤ ${workload.target}${name}: ${found.ratio <= workload.target ? "met" : "missed"} (${found.ratio.toFixed(2)}${atLargest})`;
  if (workload.id === "cancel") {
    const setup = [...subject.cells.values()].at(-1).extra?.setupMs;
    if (setup !== undefined) text += `; set-up ${figure(setup)} ms ${setup < 300 ? "<" : "≥"} 300`;
  }
  return text;
}

function megabytes(value) {
  return value === undefined ? "n/a" : `${Math.round(value)} MB`;
}

function notesText(extra) {
  const parts = [];
  if (extra.setupMs !== undefined) parts.push(`set-up ${figure(extra.setupMs)} ms`);
  if (extra.timersLeft !== undefined) parts.push(`timers left ${extra.timersLeft}`);
  return parts.join("; ");
}
