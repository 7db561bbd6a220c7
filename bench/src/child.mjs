// One measurement, in a fresh process: `node --expose-gc child.mjs <workload> <case> <n> [--quick]`.
// Warms up, runs the case repeatedly (each run checked against the workload's expected result and
// for real timers left behind), and prints one JSON line: the median figure, the median wall time,
// the medians of the case's extra figures, the rounds and the peak RSS. With `--quick`, one run,
// and the case `*` runs every case of the workload in turn (a line each), to save process starts.
import { median } from "./measure.mjs";
import { loadWorkload } from "./suites.mjs";
import { liveTimers } from "./workloads/common.mjs";

const [id, name, size, mode] = process.argv.slice(2);
const quick = mode === "--quick";
const workload = await loadWorkload(id);
const n = Number(size);
const expected = workload.expected(n);

/** One checked run of `body`: returns its figure, its wall time and its extra figures. */
async function once(label, body) {
  const timersBefore = liveTimers();
  globalThis.gc?.();
  const started = performance.now();
  const result = await body(n);
  const wall = performance.now() - started;
  const outcome = workload.selfTimed
    ? { extra: {}, ...result }
    : { check: result, value: wall, extra: {} };
  if (outcome.check !== expected) {
    throw new Error(`${label} at n = ${n} returned ${outcome.check}, expected ${expected}`);
  }
  const left = outcome.extra.timersLeft ?? liveTimers() - timersBefore;
  if (left !== 0) throw new Error(`${label} at n = ${n} left ${left} real timers pending`);
  return { value: outcome.value, wall, extra: outcome.extra };
}

async function measure(label) {
  const body = workload.cases[label];
  if (body === undefined) throw new Error(`workload ${id} has no case ${JSON.stringify(label)}`);
  const first = await once(label, body);
  // The first run is the warm-up. Then enough rounds for a stable median within about 3 s of
  // work: at least 3, at most 9.
  const rounds = quick ? 0 : Math.max(3, Math.min(9, Math.round(3000 / Math.max(first.wall, 1))));
  const runs = quick ? [first] : [];
  for (let i = 0; i < rounds; i++) runs.push(await once(label, body));
  const extra = {};
  for (const key of Object.keys(first.extra))
    extra[key] = median(runs.map((run) => run.extra[key]));
  return {
    case: label,
    value: median(runs.map((run) => run.value)),
    wall: median(runs.map((run) => run.wall)),
    extra,
    rounds: runs.length,
    rssMB: process.resourceUsage().maxRSS / 1024,
  };
}

const labels = name === "*" && quick ? Object.keys(workload.cases) : [name];
for (const label of labels) {
  try {
    process.stdout.write(`${JSON.stringify(await measure(label))}\n`);
  } catch (error) {
    process.stdout.write(
      `${JSON.stringify({ case: label, error: String(error?.stack ?? error) })}\n`,
    );
    process.exitCode = 1;
  }
}
process.exit();
