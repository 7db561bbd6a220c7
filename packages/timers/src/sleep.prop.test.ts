import { fc, it } from "@fast-check/vitest";
import { CancelledError, cancelScope, run, taskGroup } from "@weft/core";
import { trackListeners } from "@weft/testing";
import { describe, expect } from "vitest";
import { sleep, VirtualClock } from "./index.ts";

interface Sleeper {
  ms: number;
  mode: "none" | "signal" | "scope";
  abortAt: number | null;
}

const sleepersArb = fc.array(
  fc.record({
    ms: fc.integer({ min: 0, max: 100 }),
    mode: fc.constantFrom<Sleeper["mode"]>("none", "signal", "scope"),
    abortAt: fc.option(fc.integer({ min: 0, max: 120 })),
  }),
  { maxLength: 25, size: "max" },
);

/** Counts the live "abort" listeners of `signal`. */
function countListeners(signal: AbortSignal): () => number {
  const tracker = trackListeners(signal);
  return () => tracker.count;
}

type Outcome = [kind: "woke" | "aborted", time: number];

/** When and how each sleeper ends, by the contract. */
function expected(sleeper: Sleeper): Outcome {
  const { ms, mode, abortAt } = sleeper;
  if (mode === "none" || abortAt === null) return ["woke", ms];
  // A signal's abort timer is set before the sleep, so it wins a tie; sleep(0) needs no timer.
  if (mode === "signal") return ms > 0 && abortAt <= ms ? ["aborted", abortAt] : ["woke", ms];
  // A scope's deadline wins a tie whatever the order, also against sleep(0).
  return abortAt <= ms ? ["aborted", abortAt] : ["woke", ms];
}

describe("sleep", () => {
  it.prop([sleepersArb], { numRuns: 200 })(
    "ends each sleep at its due time or its cancellation, leaving no timer and no listener",
    async (sleepers) => {
      const clock = new VirtualClock();
      const outcomes: Outcome[] = [];
      const listenerCounts: (() => number)[] = [];
      const record = (index: number, promise: Promise<void>, reason: unknown): Promise<void> =>
        promise.then(
          () => {
            outcomes[index] = ["woke", clock.now()];
          },
          (error: unknown) => {
            const ok =
              error === reason || (CancelledError.is(error) && error.source === "deadline");
            outcomes[index] = [ok ? "aborted" : "woke", ok ? clock.now() : Number.NaN];
            if (CancelledError.is(error)) throw error;
          },
        );
      await run(
        (root) =>
          taskGroup(root, async (group) => {
            sleepers.forEach((sleeper, index) => {
              const { ms, mode, abortAt } = sleeper;
              if (mode === "scope") {
                group.spawn((scope) =>
                  cancelScope(scope, (inner) => {
                    if (abortAt !== null) inner.deadline = abortAt;
                    return record(index, sleep(ms, inner), undefined);
                  }),
                );
                return;
              }
              if (mode === "none") {
                group.spawn(() => record(index, sleep(ms, { clock }), undefined));
                return;
              }
              const controller = new AbortController();
              const reason = new Error(`abort ${index}`);
              listenerCounts.push(countListeners(controller.signal));
              if (abortAt !== null) clock.setTimer(abortAt, () => controller.abort(reason));
              const slept = sleep(ms, { signal: controller.signal, clock });
              group.spawn(() => record(index, slept, reason));
            });
            await clock.runAll();
          }),
        { clock },
      );
      expect(outcomes).toEqual(sleepers.map(expected));
      expect(clock.pending).toBe(0);
      expect(listenerCounts.map((count) => count())).toEqual(listenerCounts.map(() => 0));
    },
  );
});
