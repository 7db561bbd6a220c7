import { fakeTime } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import {
  CancelledError,
  cancelScope,
  checkpoint,
  type Scope,
  type Task,
  TaskGroupError,
  taskGroup,
  taskStats,
} from "./index.ts";

// No timer outlives a test: every sleep and deadline is cleaned up when its scope exits.
it.afterEach(({ clock }) => {
  expect(clock.pending).toBe(0);
});

const failureOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );

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

  describe("cancellation", () => {
    it("propagates the outer CancelledError unwrapped when cancelled from outside, and the outer scope absorbs it", async ({
      scope,
    }) => {
      let thrown: unknown;
      const value = await cancelScope(scope, async (outer) => {
        try {
          await taskGroup(outer, async (group) => {
            group.spawn((s) => sleep(100, s));
            outer.cancel("outside");
            await sleep(100, group.scope);
          });
        } catch (error) {
          thrown = error;
          throw error;
        }
      });
      expect(value).toBeUndefined();
      expect(thrown).toBeInstanceOf(CancelledError);
      expect(thrown).toMatchObject({ source: "explicit", reason: "outside" });
    });

    it("exits normally after group.cancel(), with the body's value or undefined", async ({
      clock,
      scope,
    }) => {
      const log: string[] = [];
      const interrupted = await taskGroup(scope, async (group) => {
        group.spawn(async (s) => {
          await sleep(100, s).catch((error: unknown) => log.push(`child ${(error as Error).name}`));
        });
        await sleep(5, group.scope);
        group.cancel();
        await sleep(5, group.scope);
        return "unreachable";
      });
      const completed = await taskGroup(scope, async (group) => {
        group.spawn((s) => sleep(100, s));
        group.cancel("done");
        return "body value";
      });
      log.push(`t=${clock.now()}`);
      expect(interrupted).toBeUndefined();
      expect(completed).toBe("body value");
      expect(log).toEqual(["child CancelledError", "t=5"]);
    });

    it("marks the group's scope cancelCalled and cancelledCaught after group.cancel()", async ({
      scope,
    }) => {
      let groupScope: Scope | undefined;
      await taskGroup(scope, async (group) => {
        groupScope = group.scope;
        group.spawn((s) => sleep(10, s));
        group.cancel();
      });
      expect([groupScope?.cancelCalled, groupScope?.cancelledCaught, scope.cancelled]).toEqual([
        true,
        true,
        false,
      ]);
    });

    it("cancels one child with task.cancel(): its result rejects with CancelledError and the group is unaffected", async ({
      clock,
      scope,
    }) => {
      let cancelledResult: unknown;
      const value = await taskGroup(scope, async (group) => {
        const victim = group.spawn((s) => sleep(100, s).then(() => "slept"));
        const survivor = group.spawn((s) => sleep(20, s).then(() => "survived"));
        await sleep(5, group.scope);
        victim.cancel("not needed");
        cancelledResult = await victim.result.catch((error: unknown) => error);
        return [await survivor.result, victim.done, victim.scope.cancelledCaught, clock.now()];
      });
      expect(value).toEqual(["survived", true, true, 20]);
      expect(cancelledResult).toMatchObject({
        name: "CancelledError",
        source: "explicit",
        reason: "not needed",
      });
    });

    it("resolves a cancelled task's result with its value when it swallows the cancellation", async ({
      scope,
    }) => {
      const value = await taskGroup(scope, async (group) => {
        const task = group.spawn(async (s) => {
          await sleep(100, s).catch(() => undefined);
          return "cleaned up";
        });
        task.cancel();
        return task.result;
      });
      expect(value).toBe("cleaned up");
    });
  });

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
