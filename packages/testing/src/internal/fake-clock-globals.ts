import type { TestClock } from "../test-clock.ts";

/**
 * A `Date` constructor on `clock`: `new Date()` and `Date.now()` read `epoch + clock.now()`;
 * `new Date(value)` and the static methods behave as the real ones.
 */
export function fakeDate(clock: TestClock, epoch: number): DateConstructor {
  const RealDate = globalThis.Date;
  const FakeDate: DateConstructor = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget): object {
      const time = args.length === 0 ? [epoch + clock.now()] : args;
      return Reflect.construct(target, time, newTarget === FakeDate ? target : newTarget);
    },
    apply() {
      return new RealDate(epoch + clock.now()).toString();
    },
    get(target, key, receiver) {
      if (key === "now") return () => epoch + clock.now();
      return Reflect.get(target, key, receiver);
    },
  });
  return FakeDate;
}

type HrTime = ((previous?: [number, number]) => [number, number]) & { bigint(): bigint };

/**
 * Node's `process.hrtime` on `clock`: `hrtime()` gives `[seconds, nanoseconds]` of `clock.now()`,
 * `hrtime(previous)` the difference, `hrtime.bigint()` nanoseconds as a bigint.
 */
export function fakeHrtime(clock: TestClock): HrTime {
  const nanoseconds = (): bigint => BigInt(Math.round(clock.now() * 1e6));
  const split = (ns: bigint): [number, number] => [
    Number(ns / 1_000_000_000n),
    Number(ns % 1_000_000_000n),
  ];
  const hrtime = (previous?: [number, number]): [number, number] => {
    const now = nanoseconds();
    if (previous === undefined) return split(now);
    if (!Array.isArray(previous) || previous.length !== 2) {
      throw new TypeError(
        `The "time" argument must be an instance of Array of length 2. Received ${String(previous)}`,
      );
    }
    const before = BigInt(previous[0]) * 1_000_000_000n + BigInt(previous[1]);
    return split(now - before);
  };
  return Object.assign(hrtime, { bigint: nanoseconds });
}
