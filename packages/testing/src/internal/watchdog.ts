/**
 * The watchdog of a fixture's `fakeTime` run, for a test whose own timeout is `testTimeout` ms: it
 * fires first (a tenth earlier, by at most 500 ms), so that a hung test reports its task tree
 * rather than vitest's bare "Test timed out". No test timeout (0) keeps `fakeTime`'s default.
 */
export function fixtureWatchdog(testTimeout: number): number | undefined {
  if (!(testTimeout > 0 && Number.isFinite(testTimeout))) return undefined;
  return Math.max(1, testTimeout - Math.min(500, testTimeout / 10));
}
