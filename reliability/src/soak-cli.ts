// `pnpm soak`: 1,000,000 mixed operations on the fake clock, then on the real clock; prints the
// heap after GC at 10%, 50% and 100%, and fails (exit 1) if anything was left behind or the heap
// grew by more than `limit` between 10% and 100%. `pnpm soak 100000 real` runs fewer, on one clock.
import { type SoakReport, soak } from "./soak.ts";

const operations = Number(process.argv[2] ?? 1_000_000);
const limit = 8 * 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

function problems(report: SoakReport): string[] {
  const found: string[] = [];
  if (report.unhandled !== 0) found.push(`${report.unhandled} unhandled rejections`);
  if (report.pendingTimers !== 0) found.push(`${report.pendingTimers} pending timers`);
  if (report.externalListeners !== 0) found.push(`${report.externalListeners} listeners left`);
  const first = report.heap[0]?.heapUsed ?? 0;
  const last = report.heap[report.heap.length - 1]?.heapUsed ?? 0;
  if (last - first > limit) found.push(`heap grew by ${mib(last - first)}`);
  return found;
}

let failed = false;
const clocks = (["fake", "real"] as const).filter((clock) => (process.argv[3] ?? clock) === clock);
for (const clock of clocks) {
  console.log(`soak: ${operations.toLocaleString("en")} operations on the ${clock} clock`);
  const report = await soak({
    operations,
    clock,
    workerRuns: 20,
    onSample: (sample) =>
      console.log(`  ${String(sample.progress * 100).padStart(3)}%  heap ${mib(sample.heapUsed)}`),
  });
  const found = problems(report);
  console.log(
    `  ${(report.elapsed / 1000).toFixed(1)} s; ${report.unhandled} unhandled rejections, ${report.pendingTimers} pending timers, ${report.externalListeners} listeners on the external signal; ${found.length === 0 ? "ok" : `FAILED: ${found.join(", ")}`}`,
  );
  console.log(`  operations: ${JSON.stringify(report.counts)}`);
  failed ||= found.length > 0;
}
process.exitCode = failed ? 1 : 0;
