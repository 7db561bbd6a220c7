// Generates the guides' timeline pictures (apps/docs/public/timelines/*.svg, git-ignored): each is
// a real run of Weft code under fakeTime (virtual time, so the seconds take none), recorded with
// observeTasks and drawn by timeline.ts. Run by the docs' `build` and `dev` scripts:
//   esbuild apps/docs/scripts/timelines.ts --bundle … && node …/timelines.mjs

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Limiter, moveOnAfter, type Scope, taskGroup } from "@weft/core";
import { fakeTime } from "@weft/testing";
import { sleep } from "@weft/timers";
import { draw, type Marker, type Recording, record } from "./timeline.ts";

export interface Scenario {
  /** File name under public/timelines. */
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly markers: readonly Marker[];
  readonly run: (scope: Scope) => Promise<unknown>;
}

/** A task that sleeps `ms` and returns. */
const work = (ms: number) => (scope: Scope) => sleep(ms, scope);

export const scenarios: readonly Scenario[] = [
  {
    file: "group-failure.svg",
    title: "A task group where one child fails",
    description:
      "charge card fails at 0.3 s; the group cancels its siblings, including the tasks of the nested group of ship order, waits for them, then throws a TaskGroupError.",
    markers: [{ time: 300, label: "charge card throws" }],
    run: (scope) =>
      taskGroup(scope, async (group) => {
        group.spawn(
          async (s) => {
            await sleep(300, s);
            throw new Error("card declined");
          },
          { name: "charge card" },
        );
        group.spawn(work(1000), { name: "reserve stock" });
        group.spawn(
          (s) =>
            taskGroup(s, async (inner) => {
              inner.spawn(work(200), { name: "print label" });
              inner.spawn(work(1500), { name: "book courier" });
            }),
          { name: "ship order" },
        );
      }),
  },
  {
    file: "deadline.svg",
    title: "A deadline reaching nested scopes",
    description:
      "moveOnAfter gives the page 1 s; fetch profile returns in time, while the nested tasks of fetch feed and fetch ads are cancelled when the deadline passes, and moveOnAfter returns undefined.",
    markers: [{ time: 1000, label: "deadline (moveOnAfter 1 s)" }],
    run: (scope) =>
      moveOnAfter(scope, 1000, (page) =>
        taskGroup(page, async (group) => {
          group.spawn(work(400), { name: "fetch profile" });
          group.spawn(
            (s) =>
              taskGroup(s, async (inner) => {
                inner.spawn(
                  async (t) => {
                    await sleep(600, t);
                    await sleep(800, t);
                  },
                  { name: "page 1, then 2" },
                );
                inner.spawn(work(2000), { name: "comments" });
              }),
            { name: "fetch feed" },
          );
          group.spawn(work(3000), { name: "fetch ads" });
        }),
      ),
  },
  {
    file: "limiter.svg",
    title: "A limiter's admissions",
    description:
      "Six jobs go through a Limiter of concurrency 2: each waits in Limiter.run until one of the two slots frees, in call order, then works.",
    markers: [],
    run: (scope) => {
      const limiter = new Limiter({ concurrency: 2 });
      return taskGroup(scope, async (group) => {
        for (const [name, ms] of [
          ["A", 400],
          ["B", 200],
          ["C", 300],
          ["D", 500],
          ["E", 200],
          ["F", 300],
        ] as const) {
          group.spawn((s) => limiter.run(s, work(ms)), { name: `job ${name} (${ms} ms)` });
        }
      });
    },
  },
];

/** Runs a scenario under fakeTime and records its tasks. */
export function recordScenario(scenario: Scenario): Promise<Recording> {
  return fakeTime(({ scope }) => record(scope, scenario.run));
}

async function main(): Promise<void> {
  const outDir = join(process.cwd(), "public", "timelines");
  mkdirSync(outDir, { recursive: true });
  for (const scenario of scenarios) {
    const recording = await recordScenario(scenario);
    writeFileSync(join(outDir, scenario.file), draw(recording, scenario));
    console.log(
      `timelines: ${scenario.file} (${recording.rows.length} tasks, ${recording.end} ms of virtual time)`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
