import { describe, expectTypeOf, it } from "vitest";
import { Condition, Lock, type Scope, Semaphore, type WaitOptions } from "./index.ts";

describe("Lock.withLock, Semaphore.withPermit and Condition.withLock", () => {
  it("require the scope or signal of the acquire in their types", () => {
    const lock = new Lock();
    const semaphore = new Semaphore(1);
    const condition = new Condition();
    expectTypeOf(lock.withLock).parameter(0).toEqualTypeOf<WaitOptions>();
    expectTypeOf(semaphore.withPermit).parameter(0).toEqualTypeOf<WaitOptions>();
    expectTypeOf(condition.withLock).parameter(0).toEqualTypeOf<WaitOptions>();
    expectTypeOf<Scope>().toExtend<Parameters<typeof lock.withLock>[0]>();
    // @ts-expect-error a forgotten scope does not compile
    void lock.withLock(undefined, () => 1);
    // @ts-expect-error a forgotten scope does not compile
    void semaphore.withPermit(undefined, () => 1);
    // @ts-expect-error a forgotten scope does not compile
    void condition.withLock(undefined, () => 1);
  });
});
