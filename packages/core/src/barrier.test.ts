import { waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { Barrier, CancelledError, cancelScope, moveOnAt, taskGroup } from "./index.ts";

describe("Barrier", () => {
  it("rejects 0, fractional and non-number parties, naming the value", () => {
    expect(() => new Barrier(0)).toThrow(
      new RangeError("Expected `parties` to be a positive integer, got `0` (number)"),
    );
    expect(() => new Barrier(2.5)).toThrow(RangeError);
    expect(() => new Barrier(-1)).toThrow(RangeError);
    expect(() => new Barrier("3" as never)).toThrow(
      new TypeError('Expected `parties` to be a positive integer, got `"3"` (string)'),
    );
    expect(new Barrier(3).parties).toBe(3);
  });

  it("holds every party until the last arrives, then returns arrival indices", async ({
    scope,
  }) => {
    const barrier = new Barrier(3);
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      for (const name of ["a", "b", "c"]) {
        group.spawn(async (s) => {
          log.push(`${name} arrives`);
          const index = await barrier.wait(s);
          log.push(`${name} passes ${index}`);
        });
        await waitAllTasksBlocked(scope);
      }
    });
    expect(log).toEqual([
      "a arrives",
      "b arrives",
      "c arrives",
      "a passes 0",
      "b passes 1",
      "c passes 2",
    ]);
  });

  it("is reusable: each cycle hands out indices from 0 again", async ({ scope }) => {
    const barrier = new Barrier(2);
    const indices: number[][] = [];
    for (let cycle = 0; cycle < 3; cycle++) {
      indices.push(await Promise.all([barrier.wait(scope), barrier.wait(scope)]));
    }
    expect(indices).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    expect(barrier.waiting).toBe(0);
  });

  it("lets a cancelled waiter withdraw its arrival", async ({ scope }) => {
    const barrier = new Barrier(2);
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      const quitter = group.spawn((s) => barrier.wait(s));
      await waitAllTasksBlocked(scope);
      expect(barrier.waiting).toBe(1);
      quitter.cancel();
      expect(barrier.waiting).toBe(0);
      await expect(quitter.result).rejects.toBeInstanceOf(CancelledError);
      group.spawn(async (s) => log.push(`b ${await barrier.wait(s)}`));
      await waitAllTasksBlocked(scope);
      expect(log).toEqual([]);
      group.spawn(async (s) => log.push(`c ${await barrier.wait(s)}`));
    });
    expect(log).toEqual(["b 0", "c 1"]);
  });

  it("returns 0 at once for a single party, and is a checkpoint", async ({ scope }) => {
    const barrier = new Barrier(1);
    expect(await barrier.wait(scope)).toBe(0);
    const error = await cancelScope(scope, async (inner) => {
      inner.cancel();
      return barrier.wait(inner).catch((caught: unknown) => caught);
    });
    expect(CancelledError.is(error)).toBe(true);
  });

  it("lets a deadline due at the very instant the cycle completes win: that party withdraws", async ({
    clock,
    scope,
  }) => {
    const barrier = new Barrier(2);
    const log: string[] = [];
    await taskGroup(scope, async (group) => {
      // The late party's wake-up is registered before the deadline, so it fires first at t=10.
      group.spawn(async (s) => {
        await sleep(10, s);
        log.push(`late passes ${await barrier.wait(s)} at ${clock.now()}`);
      });
      group.spawn(async (s) => {
        const index = await moveOnAt(s, 10, (inner) => barrier.wait(inner));
        log.push(`timed out: ${index === undefined}`);
      });
      group.spawn(async (s) => {
        await sleep(20, s);
        log.push(`last passes ${await barrier.wait(s)} at ${clock.now()}`);
      });
    });
    expect(log).toEqual(["timed out: true", "late passes 0 at 20", "last passes 1 at 20"]);
  });

  it("marks the waiting task blocked on Barrier.wait", async ({ scope }) => {
    const barrier = new Barrier(2);
    const labels = await taskGroup(scope, async (group) => {
      const task = group.spawn((s) => barrier.wait(s));
      await waitAllTasksBlocked(scope);
      const seen = [...task.blockedOn];
      await barrier.wait(scope);
      return seen;
    });
    expect(labels).toEqual(["Barrier.wait"]);
  });
});
