/**
 * The fake-time test harness: {@link fakeTime} runs a test on a virtual {@link TestClock} with
 * autojump, deadlock and leak detection, and optional patching of the platform's timers.
 *
 * @module @weft/testing
 */
export { DeadlockError, TimerLeakError } from "./deadlock-error.ts";
export { type FakeTimeContext, type FakeTimeOptions, fakeTime } from "./fake-time.ts";
export type { TimerKind } from "./patch-globals.ts";
export { TestClock, type TestClockOptions } from "./test-clock.ts";
export { type ListenerTracker, trackListeners } from "./track-listeners.ts";
export { waitAllTasksBlocked } from "./wait-all-tasks-blocked.ts";
