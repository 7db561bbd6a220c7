import { describe, expect, it } from "vitest";
import { soak } from "./soak.ts";

// The suite's soak: 10,000 operations each way. `pnpm soak` runs 1,000,000.
const operations = 10_000;
const twoMiB = 2 * 1024 * 1024;

describe("soak", () => {
  for (const clock of ["fake", "real"] as const) {
    it(`runs ${operations} mixed operations on the ${clock} clock and leaves nothing behind`, async () => {
      const report = await soak({ operations, clock, batch: 500, workerRuns: 4 });
      expect(report.operations).toBe(operations);
      expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBe(operations);
      expect(report.counts.worker).toBe(4);
      expect(report.unhandled).toBe(0);
      expect(report.pendingTimers).toBe(0);
      expect(report.externalListeners).toBe(0);
      expect(report.heap.map((sample) => sample.progress)).toEqual([0.1, 0.5, 1]);
      const [first, , last] = report.heap.map((sample) => sample.heapUsed) as [
        number,
        number,
        number,
      ];
      expect(last - first).toBeLessThan(twoMiB);
    }, 120_000);
  }
});
