import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { checkpoint, type Scope, type Task, TaskGroupError, taskGroup } from "./index.ts";

// No timer outlives a test: every sleep and deadline is cleaned up when its scope exits.
it.afterEach(({ clock }) => {
  expect(clock.pending).toBe(0);
});

import { failureOf } from "./task-group.test-support.ts";

describe("taskGroup", () => {
  it("waits for every child when the body returns and resolves with the body's value", async ({
    clock,
    scope,
  }) => {
    const finished: number[] = [];
    const value = await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        await sleep(20, s);
        finished.push(clock.now());
      });
      group.spawn(async (s) => {
        await sleep(10, s);
        finished.push(clock.now());
      });
      return "body";
    });
    expect([value, finished, clock.now()]).toEqual(["body", [10, 20], 20]);
  });

  describe("spawn", () => {
    it("never calls fn synchronously: the child starts after the spawner's next await", async ({
      scope,
    }) => {
      const log: string[] = [];
      await taskGroup(scope, async (group) => {
        group.spawn(() => {
          log.push("child");
        });
        log.push("after spawn");
        await checkpoint(scope);
        log.push("after await");
      });
      expect(log).toEqual(["after spawn", "child", "after await"]);
    });

    it("treats a synchronous throw inside fn as a child failure, not a spawn error", async ({
      scope,
    }) => {
      const boom = new Error("sync");
      const error = await failureOf(
        taskGroup(scope, async (group) => {
          expect(() =>
            group.spawn(() => {
              throw boom;
            }),
          ).not.toThrow();
        }),
      );
      expect(error).toBeInstanceOf(TaskGroupError);
      expect((error as TaskGroupError).errors).toEqual([boom]);
      expect((error as TaskGroupError).errors[0]).toBe(boom);
    });

    it("throws synchronously on a group whose body and children have all finished", async ({
      scope,
    }) => {
      let saved: Parameters<Parameters<typeof taskGroup>[1]>[0] | undefined;
      await taskGroup(scope, async (group) => {
        saved = group;
      });
      expect(() => saved?.spawn(async () => 1)).toThrow(
        "Cannot spawn into a task group that has finished",
      );
      expect(() => saved?.start(async () => 1)).toThrow(
        "Cannot spawn into a task group that has finished",
      );
    });

    it("lets a child spawn siblings after the body returned, while the group still runs", async ({
      scope,
    }) => {
      const done: string[] = [];
      await taskGroup(scope, async (group) => {
        group.spawn(async (s) => {
          await sleep(5, s);
          group.spawn(async () => {
            done.push("late");
          });
          done.push("first");
        });
      });
      expect(done).toEqual(["first", "late"]);
    });

    it("allows spawning into a cancelled group: the child starts and its first checkpoint throws", async ({
      scope,
    }) => {
      const steps: string[] = [];
      await taskGroup(scope, async (group) => {
        group.cancel();
        const task = group.spawn(async (s) => {
          steps.push("started");
          await checkpoint(s);
          steps.push("not reached");
        });
        await task.result.catch((error: unknown) => steps.push((error as Error).name));
      });
      expect(steps).toEqual(["started", "CancelledError"]);
    });

    it("names tasks after the option, else the function, else 'task'", async ({ scope }) => {
      const names = await taskGroup(scope, async (group) => [
        group.spawn(async () => 1, { name: "given" }).name,
        group.spawn(async function fetcher() {}).name,
        group.spawn(((s: Scope) => checkpoint(s)) as never).name,
      ]);
      expect(names).toEqual(["given", "fetcher", "task"]);
    });

    it("keeps the function's name and the outcome when both are read after the task finished", async ({
      scope,
    }) => {
      const tasks = await taskGroup(scope, async (group) => [
        group.spawn(async function fetcher() {
          return 7;
        }),
        group.spawn(async () => 8),
      ]);
      const [named, anonymous] = tasks as [Task<number>, Task<number>];
      expect([named.name, named.state, await named.result]).toEqual(["fetcher", "done", 7]);
      expect([anonymous.name, await anonymous.result]).toEqual(["task", 8]);
    });

    it("throws a TypeError naming the argument when fn is not a function", async ({ scope }) => {
      await taskGroup(scope, async (group) => {
        expect(() => group.spawn("nope" as never)).toThrow(
          new TypeError('Expected `fn` to be a function, got `"nope"` (string)'),
        );
        expect(() => group.spawn(async () => 1, { name: 3 as never })).toThrow(
          new TypeError("Expected `name` to be a string, got `3` (number)"),
        );
      });
    });
  });
});
