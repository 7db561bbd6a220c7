import { describe, expect, it } from "vitest";
import { cancelScope, run, TaskGroupError, taskGroup } from "../index.ts";
import { deferExit } from "./exit-cleanups.ts";

/** A clean-up that takes a few turns of the microtask queue, then logs `name`. */
function slowCleanup(log: string[], name: string): () => Promise<void> {
  return async () => {
    for (let turn = 0; turn < 5; turn++) await Promise.resolve();
    log.push(name);
  };
}

describe("deferExit", () => {
  it("makes a cancel scope's exit wait for its clean-ups, the last registered first", async () => {
    const log: string[] = [];
    await run(async (scope) => {
      await cancelScope(scope, async (inner) => {
        deferExit(inner, slowCleanup(log, "first registered"));
        deferExit(inner, slowCleanup(log, "second registered"));
        log.push("body done");
      });
      log.push("cancelScope settled");
    });
    expect(log).toEqual([
      "body done",
      "second registered",
      "first registered",
      "cancelScope settled",
    ]);
  });

  it("makes a task group wait for its tasks, then its clean-ups", async () => {
    const log: string[] = [];
    await run(async (scope) => {
      await taskGroup(scope, async (group) => {
        deferExit(group.scope, slowCleanup(log, "group clean-up"));
        group.spawn(async () => {
          await Promise.resolve();
          log.push("task done");
        });
      });
      log.push("taskGroup settled");
    });
    expect(log).toEqual(["task done", "group clean-up", "taskGroup settled"]);
  });

  it("makes a task's result and run's promise wait for their clean-ups", async () => {
    const log: string[] = [];
    await run(async (scope) => {
      deferExit(scope, slowCleanup(log, "root clean-up"));
      await taskGroup(scope, async (group) => {
        const task = group.spawn(async (own) => {
          deferExit(own, slowCleanup(log, "task clean-up"));
          return 7;
        });
        log.push(`result ${await task.result}`);
      });
      log.push("main done");
    });
    log.push("run settled");
    expect(log).toEqual(["task clean-up", "result 7", "main done", "root clean-up", "run settled"]);
  });

  it("fails the scope with a clean-up's error only when nothing failed before", async () => {
    const broken = new Error("close failed");
    const failing = () => Promise.reject(broken);
    await expect(
      run((scope) => cancelScope(scope, async (inner) => void deferExit(inner, failing))),
    ).rejects.toBe(broken);
    const first = new Error("body failed");
    await expect(
      run((scope) =>
        cancelScope(scope, async (inner) => {
          deferExit(inner, failing);
          throw first;
        }),
      ),
    ).rejects.toBe(first);
    const error = await run((scope) =>
      taskGroup(scope, async (group) => void deferExit(group.scope, failing)),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors).toEqual([broken]);
  });

  it("runs nothing for a clean-up removed before the exit", async () => {
    const log: string[] = [];
    await run(async (scope) => {
      const remove = deferExit(scope, slowCleanup(log, "removed"));
      remove();
    });
    expect(log).toEqual([]);
  });

  it("rejects a value that is not a Weft scope or a clean-up that is not a function", () => {
    expect(() => deferExit({} as never, async () => {})).toThrow(TypeError);
    return run(async (scope) => {
      expect(() => deferExit(scope, 5 as never)).toThrow(
        new TypeError("Expected `cleanup` to be a function, got `5` (number)"),
      );
    });
  });
});
