import { sleep } from "@weft/timers";
import type { Scope } from "./index.ts";

export const failureOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );

/** A task function that sleeps `ms` on its scope's clock, then returns `value`. */
export const valueAfter =
  <T>(ms: number, value: T) =>
  async (scope: Scope): Promise<T> => {
    await sleep(ms, scope);
    return value;
  };
