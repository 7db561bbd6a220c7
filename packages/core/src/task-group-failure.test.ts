import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import { cancelScope, type Scope, TaskGroupError, taskGroup } from "./index.ts";

// No timer outlives a test: every sleep and deadline is cleaned up when its scope exits.
it.afterEach(({ clock }) => {
  expect(clock.pending).toBe(0);
});

import { failureOf } from "./task-group.test-support.ts";

describe("taskGroup", () => {
  describe("failure", () => {
    it("cancels every sibling and the body when one child fails, with source failure", async ({
      scope,
    }) => {
      const boom = new Error("boom");
      const seen: unknown[] = [];
      const error = await failureOf(
        taskGroup(scope, async (group) => {
          group.spawn(async (s) => {
            await sleep(10, s);
            throw boom;
          });
          group.spawn(async (s) => {
            try {
              await sleep(100, s);
            } catch (caught) {
              seen.push(caught);
              throw caught;
            }
          });
          try {
            await sleep(100, group.scope);
          } catch (caught) {
            seen.push(caught);
            throw caught;
          }
        }),
      );
      expect((error as TaskGroupError).errors).toEqual([boom]);
      expect(seen).toHaveLength(2);
      expect(seen[0]).toBe(seen[1]);
      expect(seen[0]).toMatchObject({ name: "CancelledError", source: "failure", reason: boom });
    });

    it("keeps the exact thrown values, identity kept, in completion order, also undefined, strings and numbers", async ({
      scope,
    }) => {
      const object = { code: 7 };
      const error = await failureOf(
        taskGroup(scope, async (group) => {
          // Shielded sleeps keep running through the group's cancellation, so each child
          // throws at its own time.
          const throwAfter = (ms: number, value: unknown) => async (s: Scope) => {
            await cancelScope(s, (inner) => sleep(ms, inner), { shield: true });
            throw value;
          };
          group.spawn(throwAfter(30, object));
          group.spawn(throwAfter(20, 42));
          group.spawn(throwAfter(10, undefined));
          group.spawn(throwAfter(0, "text"));
        }),
      );
      expect(error).toBeInstanceOf(TaskGroupError);
      const { errors } = error as TaskGroupError;
      expect(errors).toEqual(["text", undefined, 42, object]);
      expect(errors[3]).toBe(object);
      expect((error as TaskGroupError).message).toBe(
        '4 tasks failed: `"text"` (string); `undefined`; `42` (number); …',
      );
    });

    it("records a failure once when the body rethrows it from the failed task's result", async ({
      scope,
    }) => {
      const boom = new Error("boom");
      const error = await taskGroup(scope, async (group) => {
        const task = group.spawn(async () => {
          throw boom;
        });
        await task.result;
      }).catch((caught: unknown) => caught);
      expect((error as TaskGroupError).errors).toEqual([boom]);
    });

    it("wraps even a single failure", async ({ scope }) => {
      const boom = new Error("only");
      const error = await failureOf(
        taskGroup(scope, async (group) => {
          group.spawn(async () => {
            throw boom;
          });
        }),
      );
      expect(error).toBeInstanceOf(TaskGroupError);
      expect(error).toBeInstanceOf(AggregateError);
      expect(error).toMatchObject({
        name: "TaskGroupError",
        message: "1 task failed: Error: only",
      });
      expect((error as TaskGroupError).errors).toEqual([boom]);
    });

    it("keeps a nested group's TaskGroupError as one element", async ({ scope }) => {
      const inner = new Error("inner");
      const outer = new Error("outer");
      const error = await failureOf(
        taskGroup(scope, async (group) => {
          group.spawn((s) =>
            taskGroup(s, async (nested) => {
              nested.spawn(async () => {
                throw inner;
              });
            }),
          );
          group.spawn(async (s) => {
            await sleep(5, s).catch(() => undefined);
            throw outer;
          });
        }),
      );
      const { errors } = error as TaskGroupError;
      expect(errors).toHaveLength(2);
      expect(errors[0]).toBeInstanceOf(TaskGroupError);
      expect((errors[0] as TaskGroupError).errors).toEqual([inner]);
      expect(errors[1]).toBe(outer);
    });

    it("never lists the CancelledErrors produced by its own cancellation", async ({ scope }) => {
      const boom = new Error("boom");
      const error = await failureOf(
        taskGroup(scope, async (group) => {
          for (let i = 0; i < 3; i++) group.spawn((s) => sleep(50, s));
          group.spawn(async (s) => {
            await sleep(1, s);
            throw boom;
          });
          await sleep(50, group.scope);
        }),
      );
      expect((error as TaskGroupError).errors).toEqual([boom]);
    });

    it("counts a body that throws as a failure, like a child's", async ({ scope }) => {
      const boom = new Error("body");
      let childError: unknown;
      const error = await failureOf(
        taskGroup(scope, async (group) => {
          group.spawn(async (s) => {
            await sleep(100, s).catch((caught: unknown) => {
              childError = caught;
            });
          });
          await sleep(10, group.scope);
          throw boom;
        }),
      );
      expect((error as TaskGroupError).errors).toEqual([boom]);
      expect(childError).toMatchObject({ source: "failure", reason: boom });
    });

    it("lists failures that happen while the group is being cancelled, in completion order", async ({
      scope,
    }) => {
      const first = new Error("first");
      const cleanup = new Error("cleanup");
      const error = await failureOf(
        taskGroup(scope, async (group) => {
          group.spawn(async (s) => {
            await sleep(10, s);
            throw first;
          });
          group.spawn(async (s) => {
            await sleep(100, s).catch(() => undefined);
            throw cleanup;
          });
        }),
      );
      expect((error as TaskGroupError).errors).toEqual([first, cleanup]);
    });
  });
});
