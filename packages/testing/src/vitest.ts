/**
 * A vitest `test` whose `clock` and `scope` fixtures run each test body under `fakeTime`.
 *
 * @module @weft/testing/vitest
 */
import type { Scope } from "@weft/core";
import { test as baseTest, type TestAPI } from "vitest";
import { type FakeTimeOptions, fakeTime } from "./fake-time.ts";
import { dedupeHarnessErrors, fixtureWatchdog } from "./internal/fixture.ts";
import type { TestClock } from "./test-clock.ts";

/**
 * The fixtures that `@weft/testing/vitest`'s `test` adds.
 * @example
 * ```ts
 * import { type FakeTimeFixtures, test } from "@weft/testing/vitest";
 * import { expect } from "vitest";
 *
 * const slowTest = test.extend<Pick<FakeTimeFixtures, "fakeTimeOptions">>({
 *   fakeTimeOptions: [{ start: 5000 }, { injected: false }],
 * });
 *
 * slowTest("starts at 5 s", ({ clock }) => {
 *   expect(clock.now()).toBe(5000);
 * });
 * ```
 */
export interface FakeTimeFixtures {
  /** The options every test body's `fakeTime` run gets; override with `test.override({ fakeTimeOptions })`. */
  fakeTimeOptions: FakeTimeOptions;
  /** The run's {@link TestClock}. Using it (or `scope`) runs the test body under `fakeTime`. */
  clock: TestClock;
  /** The run's root scope. */
  scope: Scope;
}

const scopes = new WeakMap<TestClock, Scope>();

/**
 * A vitest `test` whose `clock` and `scope` fixtures run each test body under {@link fakeTime}:
 * virtual time with autojump, deadlock detection, the watchdog, and (optionally) patched globals.
 *
 * @example
 * ```ts
 * import { test } from "@weft/testing/vitest";
 * import { sleep } from "@weft/timers";
 * import { expect } from "vitest";
 *
 * test("an hour passes at once", async ({ clock, scope }) => {
 *   await sleep(3_600_000, scope);
 *   expect(clock.now()).toBe(3_600_000);
 * });
 *
 * test.override({ fakeTimeOptions: { patchGlobals: true, epoch: Date.UTC(2030, 0, 1) } });
 * ```
 */
export const test: TestAPI<FakeTimeFixtures> = baseTest.extend<FakeTimeFixtures>({
  fakeTimeOptions: [{}, { injected: false }],
  clock: async ({ fakeTimeOptions, task, onTestFailed }, use) => {
    // A deadlock or watchdog fails the body (its wait throws a CancelledError caused by the
    // DeadlockError) and the fixture (the DeadlockError itself): report it once.
    onTestFailed(({ task: failed }) => {
      const errors = failed.result?.errors;
      if (errors !== undefined) dedupeHarnessErrors(errors);
    });
    const timeout = fakeTimeOptions.timeout ?? fixtureWatchdog(task.timeout);
    await fakeTime(
      async ({ clock, scope }) => {
        scopes.set(clock, scope);
        await use(clock);
      },
      timeout === undefined ? fakeTimeOptions : { ...fakeTimeOptions, timeout },
    );
  },
  scope: async ({ clock }, use) => {
    await use(scopes.get(clock) as Scope);
  },
});

/**
 * The same as {@link test}, for suites written with `describe`/`it`.
 *
 * @example
 * ```ts
 * import { it } from "@weft/testing/vitest";
 * import { sleep } from "@weft/timers";
 * import { describe, expect } from "vitest";
 *
 * describe("sleep", () => {
 *   it("wakes at its due time", async ({ clock, scope }) => {
 *     await sleep(250, scope);
 *     expect(clock.now()).toBe(250);
 *   });
 * });
 * ```
 */
export const it: typeof test = test;
