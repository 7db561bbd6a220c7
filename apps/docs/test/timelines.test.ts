// The timeline pictures are drawn from real runs: these tests hold the recordings to what the
// scenarios do, and the drawing to what the recordings say.
import { describe, expect, it } from "vitest";
import { draw } from "../scripts/timeline.ts";
import { recordScenario, scenarios } from "../scripts/timelines.ts";

function scenario(file: string) {
  const found = scenarios.find((each) => each.file === file);
  if (found === undefined) throw new Error(`no scenario ${file}`);
  return found;
}

const summary = (recording: Awaited<ReturnType<typeof recordScenario>>) =>
  recording.rows.map((row) => [row.task.name, row.depth, row.ending, row.finished]);

describe("record", () => {
  it("records a failing child, its cancelled siblings and the nested group, in tree order", async () => {
    const recording = await recordScenario(scenario("group-failure.svg"));
    expect(recording.end).toBe(300);
    expect(summary(recording)).toEqual([
      ["charge card", 0, "failed", 300],
      ["reserve stock", 0, "cancelled", 300],
      ["ship order", 0, "cancelled", 300],
      ["print label", 1, "returned", 200],
      ["book courier", 1, "cancelled", 300],
    ]);
    expect(recording.rows[3]?.waits).toEqual([{ label: "sleep", from: 0, to: 200 }]);
    expect(recording.rows[2]?.waits).toEqual([{ label: "TaskGroup.join", from: 0, to: 300 }]);
    expect(recording.rows.map((row) => row.cancelledAt)).toEqual([
      undefined,
      300,
      300,
      undefined,
      300,
    ]);
  });

  it("records a deadline cancelling nested tasks at its instant", async () => {
    const recording = await recordScenario(scenario("deadline.svg"));
    expect(summary(recording)).toEqual([
      ["fetch profile", 0, "returned", 400],
      ["fetch feed", 0, "cancelled", 1000],
      ["page 1, then 2", 1, "cancelled", 1000],
      ["comments", 1, "cancelled", 1000],
      ["fetch ads", 0, "cancelled", 1000],
    ]);
    expect(recording.rows[2]?.waits).toEqual([
      { label: "sleep", from: 0, to: 600 },
      { label: "sleep", from: 600, to: 1000 },
    ]);
  });

  it("records a limiter admitting queued calls in order as slots free", async () => {
    const recording = await recordScenario(scenario("limiter.svg"));
    const admitted = recording.rows.map((row) => {
      const queued = row.waits.find((wait) => wait.label === "Limiter.run");
      return [row.task.name, queued?.to ?? 0, row.finished];
    });
    expect(admitted).toEqual([
      ["job A (400 ms)", 0, 400],
      ["job B (200 ms)", 0, 200],
      ["job C (300 ms)", 200, 500],
      ["job D (500 ms)", 400, 900],
      ["job E (200 ms)", 500, 700],
      ["job F (300 ms)", 700, 1000],
    ]);
  });
});

describe("draw", () => {
  it("draws one labelled row per task, its waits and its ending", async () => {
    const chosen = scenario("group-failure.svg");
    const svg = draw(await recordScenario(chosen), chosen);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title id="title">A task group where one child fails</title>');
    expect(svg.match(/<rect [^>]*rx="3" fill="#3b82f6"><title>/g)?.length).toBe(4);
    expect(svg).toContain("print label: sleep from 0 s to 200 ms");
    expect(svg).toContain("✗ failed at 300 ms");
    expect(svg.match(/⊘ cancelled at 300 ms/g)?.length).toBe(3);
    expect(svg).toContain("✓ returned at 200 ms");
    expect(svg).toContain("charge card throws");
  });
});
