import { fakeTime } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { checkpoint, type TaskGroupError, taskGroup, taskStats } from "./index.ts";

// No timer outlives a test: every sleep and deadline is cleaned up when its scope exits.
it.afterEach(({ clock }) => {
  expect(clock.pending).toBe(0);
});

import { failureOf } from "./task-group.test-support.ts";

describe("taskGroup", () => {
  describe("start", () => {
    it("resolves with the value passed to started and keeps the task running in the group", async ({
      clock,
      scope,
    }) => {
      const steps: string[] = [];
      await taskGroup(scope, async (group) => {
        const port = await group.start<number>(async (s, started) => {
          await sleep(10, s);
          started(8080);
          await sleep(10, s);
          steps.push(`server stops at ${clock.now()}`);
        });
        steps.push(`started on ${port} at ${clock.now()}`);
      });
      expect(steps).toEqual(["started on 8080 at 10", "server stops at 20"]);
    });

    it("rejects with the CancelledError when the group is cancelled before started", async ({
      scope,
    }) => {
      const result = await taskGroup(scope, async (group) => {
        const starting = group.start(async (s, started) => {
          await sleep(100, s);
          started(undefined);
        });
        group.cancel("shutting down");
        return starting.catch((caught: unknown) => caught);
      });
      expect(result).toMatchObject({ name: "CancelledError", reason: "shutting down" });
    });

    it("rejects with fn's error when fn throws before started, and the group is not failed", async ({
      scope,
    }) => {
      const boom = new Error("bind failed");
      const result = await taskGroup(scope, async (group) => {
        const error = await group
          .start(async () => {
            throw boom;
          })
          .catch((caught: unknown) => caught);
        return error;
      });
      expect(result).toBe(boom);
    });

    it("rejects with a clear error when fn returns without calling started", async ({ scope }) => {
      const result = await taskGroup(scope, async (group) =>
        group.start(async function server() {}).catch((caught: unknown) => caught),
      );
      expect(result).toEqual(new Error('Task "server" returned without calling started()'));
    });

    it("names the task after fn when the options give no name", async ({ scope }) => {
      const names = await taskGroup(scope, async (group) => [
        await group.start<string>(async function server(s, started) {
          started(s.name);
        }, {}),
        await group.start<string>(async (s, started) => started(s.name), { name: "given" }),
      ]);
      expect(names).toEqual(["server", "given"]);
    });

    it("rejects bad options without leaving the caller marked blocked", async ({ scope }) => {
      await taskGroup(scope, async (group) => {
        await expect(group.start(async () => {}, 5 as never)).rejects.toThrow(
          new TypeError("Expected `options` to be an object, got `5` (number)"),
        );
        expect(taskStats(scope)).toEqual({ live: 1, blocked: 0, joins: 0 });
      });
    });

    it("fails the group when the task throws after started", async ({ scope }) => {
      const boom = new Error("later");
      const error = await failureOf(
        taskGroup(scope, async (group) => {
          await group.start(async (s, started) => {
            started(undefined);
            await sleep(1, s);
            throw boom;
          });
        }),
      );
      expect((error as TaskGroupError).errors).toEqual([boom]);
    });

    it("throws when started is called twice", async ({ scope }) => {
      const second = await taskGroup(scope, async (group) => {
        let thrown: unknown;
        await group.start<number>(async (_s, started) => {
          started(1);
          try {
            started(2);
          } catch (error) {
            thrown = error;
          }
        });
        return thrown;
      });
      expect(second).toEqual(new Error("started() was called twice"));
    });
  });

  describe("Task", () => {
    it("never produces an unhandled rejection from result, whether or not anyone awaits it", async () => {
      const unhandled: unknown[] = [];
      const listener = (reason: unknown): void => {
        unhandled.push(reason);
      };
      process.on("unhandledRejection", listener);
      try {
        await fakeTime(async ({ clock, scope }) => {
          await taskGroup(scope, async (group) => {
            const read = group.spawn(async (s) => {
              await sleep(50, s);
            });
            void read.result;
            read.cancel();
            const unread = group.spawn(async (s) => sleep(50, s));
            unread.cancel();
          });
          await failureOf(
            taskGroup(scope, async (group) => {
              const failed = group.spawn(async () => {
                throw new Error("x");
              });
              await sleep(1, group.scope).catch(() => undefined);
              void failed.result;
            }),
          );
          expect(clock.pending).toBe(0);
        });
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off("unhandledRejection", listener);
      }
      expect(unhandled).toEqual([]);
    });

    it("reports its state: pending, running, blocked on a label, done", async ({ scope }) => {
      const states = await taskGroup(scope, async (group) => {
        const seen: string[] = [];
        const task = group.spawn(async (s) => {
          seen.push(task.state);
          await sleep(10, s);
        });
        seen.push(task.state);
        await checkpoint(scope);
        seen.push(`${task.state}:${task.blockedOn.join(",")}`);
        await task.result;
        seen.push(`${task.state}:${task.done}`);
        return seen;
      });
      expect(states).toEqual(["pending", "running", "blocked:sleep", "done:true"]);
    });
  });

  it("throws a TypeError naming the argument for bad input, synchronously", ({ scope }) => {
    expect(() => taskGroup({} as never, async () => 1)).toThrow(
      new TypeError("Expected `parent` to be a Scope, got `{}` (object)"),
    );
    expect(() => taskGroup(scope, null as never)).toThrow(
      new TypeError("Expected `body` to be a function, got `null`"),
    );
  });
});
