export { type Backoff, constant, type ExponentialOptions, exponential } from "./backoff.ts";
export { type IntervalOptions, interval } from "./interval.ts";
export { type RetryOptions, retry } from "./retry.ts";
export { sleep, sleepUntil } from "./sleep.ts";
export { sleepForever } from "./sleep-forever.ts";
export type { TimeOptions } from "./time-options.ts";
export { timeoutSignal } from "./timeout-signal.ts";
export { type RunAllOptions, VirtualClock, type VirtualClockOptions } from "./virtual-clock.ts";
