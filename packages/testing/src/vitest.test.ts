import { Event, taskGroup } from "@weft/core";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { TestClock } from "./index.ts";
import { dedupeHarnessErrors, fixtureWatchdog } from "./internal/fixture.ts";
import { it, test } from "./vitest.ts";

describe("@weft/testing/vitest", () => {
  test("runs the body under fakeTime with clock and scope fixtures", async ({ clock, scope }) => {
    expect(clock).toBeInstanceOf(TestClock);
    expect(scope.clock).toBe(clock);
    await sleep(3_600_000, scope);
    expect(clock.now()).toBe(3_600_000);
  });

  it("autojumps across the test body's own waits and its tasks'", async ({ clock, scope }) => {
    const order: string[] = [];
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        await sleep(200, s);
        order.push(`b ${clock.now()}`);
      });
      await sleep(100, scope);
      order.push(`a ${clock.now()}`);
    });
    expect(order).toEqual(["a 100", "b 200"]);
  });

  describe("with fakeTimeOptions", () => {
    test.override({ fakeTimeOptions: { start: 1000, patchGlobals: true, epoch: 5000 } });

    test("passes the options to fakeTime", async ({ clock }) => {
      expect(clock.now()).toBe(1000);
      expect(Date.now()).toBe(6000);
      await new Promise<void>((resolve) => {
        setTimeout(resolve, 10);
        void clock.advance(10);
      });
      expect(Date.now()).toBe(6010);
    });
  });

  test("fires its watchdog before the test's own timeout, so a hang reports the task tree", () => {
    expect(fixtureWatchdog(5000)).toBe(4500);
    expect(fixtureWatchdog(1000)).toBe(900);
    expect(fixtureWatchdog(60_000)).toBe(59_500);
    expect(fixtureWatchdog(0)).toBe(undefined);
  });

  test("reports a harness failure once: no copy, no cancellation it caused", () => {
    const deadlock = { name: "DeadlockError", message: "Deadlock: …" };
    const cancelled = { name: "CancelledError", message: "cancelled", cause: deadlock };
    const other = { name: "Error", message: "boom" };
    const errors = [cancelled, deadlock, other, { ...deadlock }];
    dedupeHarnessErrors(errors);
    expect(errors).toEqual([deadlock, other]);
    const plain = [other, cancelled];
    dedupeHarnessErrors(plain);
    expect(plain).toEqual([other, cancelled]);
  });

  test("still runs plain tests that use neither fixture", () => {
    expect(new Event().isSet).toBe(false);
  });
});

describe("@weft/testing/vitest on a deadlock", () => {
  it("unwinds the test body at once: its wait throws a CancelledError caused by the DeadlockError", async () => {
    // The fixture's own teardown reports the DeadlockError; this test observes the body's side.
    const { fakeTime, DeadlockError } = await import("./index.ts");
    let bodyError: unknown;
    const error = await fakeTime(async ({ scope }) => {
      try {
        await new Event().wait(scope);
      } catch (caught) {
        bodyError = caught;
        throw caught;
      }
    }).catch((caught: unknown) => caught);
    expect(DeadlockError.is(error)).toBe(true);
    expect(bodyError).toMatchObject({ name: "CancelledError", reason: error });
  });
});
