import { DeadlockError } from "../deadlock-error.ts";

/**
 * The watchdog of a fixture's `fakeTime` run, for a test whose own timeout is `testTimeout` ms: it
 * fires first (a tenth earlier, by at most 500 ms), so that a hung test reports its task tree
 * rather than vitest's bare "Test timed out". No test timeout (0) keeps `fakeTime`'s default.
 */
export function fixtureWatchdog(testTimeout: number): number | undefined {
  if (!(testTimeout > 0 && Number.isFinite(testTimeout))) return undefined;
  return Math.max(1, testTimeout - Math.min(500, testTimeout / 10));
}

/** Keeps one report of a harness failure: drops its copies and the cancellations it caused. */
export function dedupeHarnessErrors(
  errors: { name?: string; message?: string; cause?: unknown }[],
): void {
  const harness = errors.find((error) => DeadlockError.is(error) || error.name === "DeadlockError");
  if (harness === undefined) return;
  const kept = errors.filter(
    (error) =>
      error === harness ||
      !(
        (error.name === harness.name && error.message === harness.message) ||
        (error.name === "CancelledError" &&
          (error.cause as { name?: string } | undefined)?.name === harness.name)
      ),
  );
  errors.splice(0, errors.length, ...kept);
}
