import { Event, run, taskGroup } from "@weft/core";
import { sleep } from "@weft/timers";
import { describe, expect, it } from "vitest";
import { fakeTime, waitAllTasksBlocked } from "./index.ts";

describe("waitAllTasksBlocked", () => {
  it("resolves once every other task is blocked, before time jumps", async () => {
    const log = await fakeTime(async ({ clock, scope }) => {
      const seen: string[] = [];
      const go = new Event();
      await taskGroup(scope, async (group) => {
        group.spawn(async (s) => {
          await go.wait(s);
          seen.push(`worker ran at ${clock.now()}`);
        });
        group.spawn(async (s) => {
          await sleep(100, s);
          seen.push(`sleeper woke at ${clock.now()}`);
        });
        await waitAllTasksBlocked(scope);
        seen.push(`all blocked at ${clock.now()}`);
        go.set();
      });
      return seen;
    });
    expect(log).toEqual(["all blocked at 0", "worker ran at 0", "sleeper woke at 100"]);
  });

  it("works outside a harness by polling after real macrotasks", async () => {
    const log = await run(async (scope) => {
      const seen: string[] = [];
      const go = new Event();
      await taskGroup(scope, async (group) => {
        group.spawn(async (s) => {
          await Promise.resolve();
          await Promise.resolve();
          seen.push("worker parked");
          await go.wait(s);
        });
        await waitAllTasksBlocked(scope);
        seen.push("observed");
        go.set();
      });
      return seen;
    });
    expect(log).toEqual(["worker parked", "observed"]);
  });

  it("throws a TypeError for something that is not a scope", () => {
    expect(() => waitAllTasksBlocked({} as never)).toThrow(
      new TypeError("Expected `scope` to be a Scope, got `{}` (object)"),
    );
  });
});
