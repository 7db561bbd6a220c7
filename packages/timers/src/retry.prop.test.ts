import { fc, it } from "@fast-check/vitest";
import { trackListeners } from "@weft/testing";
import { describe, expect } from "vitest";
import { exponential, retry, sleep, VirtualClock } from "./index.ts";

type Jitter = "none" | "full" | "equal";

interface Policy {
  initial: number;
  factor: number;
  max: number;
  jitter: Jitter;
  randoms: number[];
}

const policyArb: fc.Arbitrary<Policy> = fc.record({
  initial: fc.integer({ min: 1, max: 100 }),
  factor: fc.constantFrom(1, 1.5, 2, 3),
  max: fc.constantFrom(50, 200, 1000, Number.POSITIVE_INFINITY),
  jitter: fc.constantFrom<Jitter>("none", "full", "equal"),
  randoms: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
    minLength: 1,
    maxLength: 8,
  }),
});

/** A random source returning `values` in turn. */
function scripted(values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] as number;
}

/** The contract's delays, computed independently of `exponential`. */
function delays(policy: Policy): (n: number) => number {
  const random = scripted(policy.randoms);
  return (n) => {
    const d = Math.min(policy.max, policy.initial * policy.factor ** (n - 1));
    if (policy.jitter === "none") return d;
    const r = random();
    return policy.jitter === "full" ? d * r : d / 2 + (d / 2) * r;
  };
}

function backoffOf(policy: Policy) {
  const { initial, factor, max, jitter } = policy;
  return exponential({ initial, factor, max, jitter, random: scripted(policy.randoms) });
}

describe("retry", () => {
  it.prop(
    [
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: 9 }),
      fc.option(fc.integer({ min: 1, max: 8 })),
      policyArb,
    ],
    {
      numRuns: 300,
    },
  )(
    "makes exactly the calls of the contract, at the backoff's exact times, and settles as it says",
    async (retries, failures, stopAt, policy) => {
      const clock = new VirtualClock();
      const calls: number[] = [];
      const errors: Error[] = [];
      const result = retry(
        async (attempt) => {
          calls.push(clock.now());
          if (attempt <= failures) {
            errors.push(new Error(`failure ${attempt}`));
            throw errors.at(-1);
          }
          return attempt;
        },
        {
          clock,
          retries,
          backoff: backoffOf(policy),
          retryIf: stopAt === null ? undefined : (_, attempt) => attempt < stopAt,
        },
      );
      const outcome = result.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      await clock.runAll();
      const settled = await outcome;

      const lastAttempt = Math.min(failures + 1, retries + 1, stopAt ?? Number.POSITIVE_INFINITY);
      const delay = delays(policy);
      const expectedCalls = [0];
      for (let n = 1; n < lastAttempt; n++)
        expectedCalls.push((expectedCalls[n - 1] as number) + delay(n));
      expect(calls).toEqual(expectedCalls);
      expect(settled).toEqual(
        lastAttempt > failures ? { value: lastAttempt } : { error: errors[lastAttempt - 1] },
      );
      expect(clock.pending).toBe(0);
    },
  );

  it.prop([
    fc.integer({ min: 1, max: 300 }),
    fc.integer({ min: 0, max: 8 }),
    fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 10, maxLength: 10 }),
    fc.integer({ min: 1, max: 50 }),
  ])(
    "never retries once aborted: no call after the abort, rejects with its reason, leaves no timer or listener",
    async (abortAt, retries, work, step) => {
      const clock = new VirtualClock();
      const controller = new AbortController();
      const reason = new Error("aborted");
      const signal = controller.signal;
      const listeners = trackListeners(signal);
      clock.setTimer(abortAt, () => controller.abort(reason));
      const calls: number[] = [];
      const errors: Error[] = [];
      const result = retry(
        async (attempt) => {
          calls.push(clock.now());
          await sleep(work[attempt - 1] ?? 0, { signal, clock });
          errors.push(new Error(`failure ${attempt}`));
          throw errors.at(-1);
        },
        { clock, signal, retries, backoff: (n) => n * step },
      );
      const outcome = result.catch((error: unknown) => error);
      await clock.runAll();

      // The model: attempt n starts at start, works work[n-1] ms, then waits n · step.
      const expectedCalls: number[] = [];
      let expected: unknown = reason;
      for (let n = 1, start = 0; ; n++) {
        if (n > 1 && start >= abortAt) break;
        expectedCalls.push(start);
        const end = start + (work[n - 1] ?? 0);
        if (end > start && end >= abortAt) break;
        if (n > retries) {
          expected = n - 1;
          break;
        }
        start = end + n * step;
      }
      const error = await outcome;
      expect(calls).toEqual(expectedCalls);
      expect(error).toBe(typeof expected === "number" ? errors[expected] : reason);
      expect(clock.pending).toBe(0);
      expect(listeners.count).toBe(0);
    },
  );
});
