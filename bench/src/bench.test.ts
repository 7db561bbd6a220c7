import { describe, expect, it } from "vitest";
import { figure, growth, median, power } from "./measure.mjs";
import { loadWorkload, workloadIds } from "./suites.mjs";
import { checksumOfRange, Fifo, mix } from "./workloads/common.mjs";
import { expectedFiring, HandHeapClock } from "./workloads/fake-clock.mjs";

// The benchmarks compare like with like: every case of a workload computes the expected result.
// Worker pools need the built package in their threads; `pnpm bench --quick` checks those.
const inProcess = workloadIds.filter((id) => id !== "workers" && id !== "worker-cancel");

describe("benchmark workloads", () => {
  for (const id of inProcess) {
    it(`${id}: every case returns the expected result at n = 100`, async () => {
      const workload = await loadWorkload(id);
      const n = 100;
      for (const [name, body] of Object.entries(workload.cases)) {
        const result = await body(n);
        const check = workload.selfTimed ? result.check : result;
        expect({ name, check }).toEqual({ name, check: workload.expected(n) });
        // The runner's own timers come and go meanwhile: a leak shows as a positive count.
        if (workload.selfTimed && result.extra?.timersLeft !== undefined) {
          expect({ name, leaked: result.extra.timersLeft > 0 }).toEqual({ name, leaked: false });
        }
      }
    });
  }

  it("names a subject and a baseline that are cases of the workload", async () => {
    for (const id of workloadIds) {
      const workload = await loadWorkload(id);
      expect(Object.keys(workload.cases)).toContain(workload.subject);
      expect(Object.keys(workload.cases)).toContain(workload.baseline);
    }
  });
});

describe("hand-written baselines", () => {
  it("Fifo keeps order across its compaction", () => {
    const fifo = new Fifo();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      fifo.push(i);
      if (i % 3 === 2) out.push(fifo.shift(), fifo.shift());
    }
    while (fifo.size > 0) out.push(fifo.shift());
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it("HandHeapClock fires by due time, ties in registration order", async () => {
    for (const turns of [false, true]) {
      const clock = new HandHeapClock({ turns });
      const fired: string[] = [];
      clock.setTimer(5, () => fired.push(`a${clock.now()}`));
      clock.setTimer(1, () => fired.push(`b${clock.now()}`));
      clock.setTimer(5, () => fired.push(`c${clock.now()}`));
      clock.setTimer(3, () => fired.push(`d${clock.now()}`));
      await clock.runAll();
      expect(fired).toEqual(["b1", "d3", "a5", "c5"]);
    }
  });

  it("the expected checksums are order-sensitive", () => {
    expect(checksumOfRange(3)).toBe(mix(mix(mix(0, 0), 1), 2));
    expect(mix(mix(0, 1), 2)).not.toBe(mix(mix(0, 2), 1));
    expect(expectedFiring(1)).toBe(mix(0, firstDueTime()));
  });
});

// The due time of the timer workload at n = 1: the first LCG state modulo 10.
function firstDueTime(): number {
  return ((12345 * 1103515245 + 12345) % 2147483648) % 10;
}

describe("figures", () => {
  it("median, growth, figure and power", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(growth(1000, 2, 10_000, 20)).toBeCloseTo(1, 12);
    expect(growth(1000, 2, 10_000, 200)).toBeCloseTo(2, 12);
    expect(figure(1234.5)).toBe("1,235");
    expect(figure(4.56789)).toBe("4.57");
    expect(power(1_000_000)).toBe("10⁶");
    expect(power(200)).toBe("200");
  });
});
