// Records a run's task tree with observeTasks and draws it as an SVG timeline: one row per task
// (indented under the task that spawned it), the time it spent in each Weft wait as a bar coloured
// by the wait's label, and how it ended. Used by timelines.ts at docs-build time.

import type { TaskSnapshot } from "@weft/core";
import { CancelledError, observeTasks, type Scope, type Task, taskTree } from "@weft/core";

type Ending = "returned" | "failed" | "cancelled";

interface Row {
  readonly task: Task<unknown>;
  /** The id of the task that spawned it. */
  readonly parent: number | undefined;
  readonly depth: number;
  readonly spawned: number;
  /** Intervals spent in a Weft wait, with the wait's label. */
  readonly waits: { label: string; from: number; to: number }[];
  open: { label: string; from: number } | undefined;
  /** When its scope became cancelled, if it did. */
  cancelledAt: number | undefined;
  finished: number | undefined;
  ending: Ending | undefined;
}

/** A moment to point at on the timeline (a deadline, a failure). */
export interface Marker {
  readonly time: number;
  readonly label: string;
}

export interface Recording {
  readonly rows: readonly Row[];
  readonly end: number;
}

/** The id of the task whose tree holds task `id` as a direct child. */
function parentOf(tree: TaskSnapshot, id: number): number | undefined {
  for (const child of tree.children) {
    if (child.id === id) return tree.id;
    const found = parentOf(child, id);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The rows in tree order: each task followed by the tasks it spawned, in spawn order. */
function treeOrder(rows: readonly Row[]): Row[] {
  const ids = new Set(rows.map((row) => row.task.id));
  const ordered: Row[] = [];
  const visit = (row: Row, depth: number): void => {
    ordered.push({ ...row, depth });
    for (const child of rows) if (child.parent === row.task.id) visit(child, depth + 1);
  };
  for (const row of rows) if (row.parent === undefined || !ids.has(row.parent)) visit(row, 0);
  return ordered;
}

/**
 * Runs `body` while observing every task of the run `scope` belongs to, timed on the scope's
 * clock, and returns what each task did.
 */
export async function record(
  scope: Scope,
  body: (scope: Scope) => Promise<unknown>,
): Promise<Recording> {
  const clock = scope.clock;
  const rows = new Map<Task<unknown>, Row>();
  const stop = observeTasks(scope, (event) => {
    const now = clock.now();
    if (event.type === "spawned") {
      const row: Row = {
        task: event.task,
        parent: parentOf(taskTree(scope), event.task.id),
        depth: 0,
        spawned: now,
        waits: [],
        open: undefined,
        cancelledAt: undefined,
        finished: undefined,
        ending: undefined,
      };
      rows.set(event.task, row);
      event.task.scope.signal.addEventListener(
        "abort",
        () => {
          row.cancelledAt = clock.now();
        },
        { once: true },
      );
      return;
    }
    const row = rows.get(event.task);
    if (row === undefined) return;
    if (event.type === "blocked") row.open = { label: event.label ?? "wait", from: now };
    if ((event.type === "resumed" || event.type === "finished") && row.open !== undefined) {
      row.waits.push({ ...row.open, to: now });
      row.open = undefined;
    }
    if (event.type === "finished") row.finished = now;
  });
  try {
    await body(scope).catch(() => undefined);
    // Every task has finished by now: reading the results joins nothing.
    for (const row of rows.values()) {
      row.ending = await row.task.result.then(
        (): Ending => "returned",
        (error: unknown): Ending => (CancelledError.is(error) ? "cancelled" : "failed"),
      );
    }
  } finally {
    stop();
  }
  return { rows: treeOrder([...rows.values()]), end: clock.now() };
}

const palette: Record<string, string> = {
  sleep: "#3b82f6",
  "Limiter.run": "#f59e0b",
  "TaskGroup.join": "#a3a3a3",
};
const otherColour = "#8b5cf6";

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A step of the time axis that gives at most 7 ticks. */
function tickStep(end: number): number {
  for (const step of [50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000]) {
    if (end / step <= 6) return step;
  }
  return Math.ceil(end / 6);
}

function seconds(ms: number): string {
  return ms >= 1000 || ms === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Draws a recording as a standalone SVG document. */
export function draw(
  recording: Recording,
  options: { title: string; description: string; markers?: readonly Marker[] },
): string {
  const { rows } = recording;
  const end = Math.max(recording.end, 1);
  const labelWidth = 190;
  const plotWidth = 520;
  const width = labelWidth + plotWidth + 170;
  const top = 44;
  const rowHeight = 30;
  const legendTop = top + rows.length * rowHeight + 34;
  const labels = [...new Set(rows.flatMap((row) => row.waits.map((wait) => wait.label)))];
  const height = legendTop + 30;
  const x = (time: number): number => labelWidth + (time / end) * plotWidth;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="title desc" font-family="system-ui, sans-serif" font-size="13">`,
    `<title id="title">${escapeXml(options.title)}</title>`,
    `<desc id="desc">${escapeXml(options.description)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  const step = tickStep(end);
  for (let time = 0; time <= end; time += step) {
    parts.push(
      `<line x1="${x(time)}" y1="${top - 8}" x2="${x(time)}" y2="${top + rows.length * rowHeight}" stroke="#e5e7eb"/>`,
      `<text x="${x(time)}" y="${top - 14}" text-anchor="middle" fill="#6b7280">${seconds(time)}</text>`,
    );
  }
  rows.forEach((row, index) => {
    const y = top + index * rowHeight;
    const middle = y + rowHeight / 2;
    parts.push(
      `<text x="${12 + row.depth * 16}" y="${middle + 4}" fill="#111827">${escapeXml(row.task.name)}</text>`,
    );
    const finished = row.finished ?? recording.end;
    parts.push(
      `<line x1="${x(row.spawned)}" y1="${middle}" x2="${x(finished)}" y2="${middle}" stroke="#111827" stroke-width="1.5"/>`,
    );
    for (const wait of row.waits) {
      const colour = palette[wait.label] ?? otherColour;
      const barWidth = Math.max(2, x(wait.to) - x(wait.from));
      parts.push(
        `<rect x="${x(wait.from)}" y="${y + 7}" width="${barWidth}" height="${rowHeight - 14}" rx="3" fill="${colour}"><title>${escapeXml(`${row.task.name}: ${wait.label} from ${seconds(wait.from)} to ${seconds(wait.to)}`)}</title></rect>`,
      );
    }
    if (row.cancelledAt !== undefined && row.ending !== "failed") {
      parts.push(
        `<line x1="${x(row.cancelledAt)}" y1="${y + 3}" x2="${x(row.cancelledAt)}" y2="${y + rowHeight - 3}" stroke="#dc2626" stroke-width="2" stroke-dasharray="3 2"/>`,
      );
    }
    const ending =
      row.ending === "failed"
        ? { text: "✗ failed", colour: "#dc2626" }
        : row.ending === "cancelled"
          ? { text: "⊘ cancelled", colour: "#b45309" }
          : { text: "✓ returned", colour: "#15803d" };
    parts.push(
      `<text x="${x(finished) + 8}" y="${middle + 4}" fill="${ending.colour}">${ending.text} at ${seconds(finished)}</text>`,
    );
  });
  for (const marker of options.markers ?? []) {
    const bottom = top + rows.length * rowHeight;
    parts.push(
      `<line x1="${x(marker.time)}" y1="${top - 6}" x2="${x(marker.time)}" y2="${bottom + 6}" stroke="#dc2626" stroke-width="1.5" stroke-dasharray="6 3"/>`,
      `<text x="${x(marker.time)}" y="${bottom + 20}" text-anchor="middle" fill="#dc2626">${escapeXml(marker.label)}</text>`,
    );
  }
  let legendX = 12;
  for (const label of labels) {
    parts.push(
      `<rect x="${legendX}" y="${legendTop}" width="14" height="14" rx="3" fill="${palette[label] ?? otherColour}"/>`,
      `<text x="${legendX + 20}" y="${legendTop + 11}" fill="#374151">blocked on ${escapeXml(label)}</text>`,
    );
    legendX += 40 + 7.5 * (label.length + 11);
  }
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
