import { describe, expect, it } from "vitest";
import {
  formatTaskTree,
  observeTasks,
  run,
  type Scope,
  suspend,
  type TaskEvent,
  taskGroup,
  taskStats,
  taskTree,
  type Waiter,
} from "./index.ts";

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("taskTree", () => {
  it("snapshots every live task with its name, state and what it is blocked on", async () => {
    const text = await run(
      (scope) =>
        taskGroup(scope, async (group) => {
          const gates: Waiter<void>[] = [];
          const gate = (s: Scope, label: string): Promise<void> =>
            suspend<void>(s, label, (waiter) => {
              gates.push(waiter);
            });
          group.spawn(
            (s) =>
              taskGroup(s, async (inner) => {
                inner.spawn((t) => gate(t, "Channel.receive"), { name: "reader" });
              }),
            { name: "supervisor" },
          );
          group.spawn((s) => gate(s, "Lock.acquire"), { name: "writer" });
          await turn();
          const dump = formatTaskTree(taskTree(group.scope));
          for (const waiter of gates) waiter.resolve();
          return dump;
        }),
      { name: "root" },
    );
    expect(text).toBe(
      [
        "#1 root (running)",
        "  #2 supervisor (blocked on TaskGroup.join)",
        "    #4 reader (blocked on Channel.receive)",
        "  #3 writer (blocked on Lock.acquire)",
      ].join("\n"),
    );
  });
});

describe("observeTasks", () => {
  it("reports spawned, blocked, resumed and finished transitions in order", async () => {
    const events = await run(async (scope) => {
      const seen: string[] = [];
      const stop = observeTasks(scope, (event: TaskEvent) =>
        seen.push(`${event.type} ${event.task.name}${event.label ? ` ${event.label}` : ""}`),
      );
      await taskGroup(scope, async (group) => {
        group.spawn(
          (s) =>
            suspend<void>(s, "Event.wait", (waiter) => {
              queueMicrotask(() => waiter.resolve());
            }),
          { name: "waiter" },
        );
      });
      stop();
      await taskGroup(scope, async (group) => {
        group.spawn(async () => {}, { name: "unobserved" });
      });
      return seen;
    });
    expect(events).toEqual([
      "spawned waiter",
      "blocked waiter Event.wait",
      "blocked main TaskGroup.join",
      "resumed waiter Event.wait",
      "finished waiter",
      "resumed main TaskGroup.join",
    ]);
  });

  it("reports an observer's exception as uncaught without disturbing the run", async () => {
    const boom = new Error("observer");
    const uncaught: unknown[] = [];
    // Take the runner's own handlers off while the observer's error surfaces.
    const runnerListeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    process.on("uncaughtException", (error) => uncaught.push(error));
    let value: number | undefined;
    try {
      value = await run(async (scope) => {
        const stop = observeTasks(scope, () => {
          stop();
          throw boom;
        });
        return taskGroup(scope, async (group) => group.spawn(async () => 1).result);
      });
      await turn();
    } finally {
      process.removeAllListeners("uncaughtException");
      for (const listener of runnerListeners) process.on("uncaughtException", listener);
    }
    expect(value).toBe(1);
    expect(uncaught).toEqual([boom]);
  });
});

describe("taskStats", () => {
  it("counts live and blocked tasks and pending joins in constant time", async () => {
    const stats = await run((scope) =>
      taskGroup(scope, async (group) => {
        let open: Waiter<void> | undefined;
        const task = group.spawn((s) =>
          suspend<void>(s, "x", (waiter) => {
            open = waiter;
          }),
        );
        group.spawn(async () => {});
        await turn();
        const joining = task.result;
        const during = taskStats(scope);
        const joined = (async () => {
          await joining;
        })();
        await turn();
        const whileJoined = taskStats(scope);
        open?.resolve();
        await joined;
        return [during, whileJoined, taskStats(scope)];
      }),
    );
    expect(stats).toEqual([
      { live: 2, blocked: 1, joins: 0 },
      { live: 2, blocked: 1, joins: 1 },
      { live: 1, blocked: 0, joins: 0 },
    ]);
  });
});

describe("observeTasks and names", () => {
  it("lets an observer read a new task's default name during the spawned event", async () => {
    const names = await run(async (scope) => {
      const seen: string[] = [];
      observeTasks(scope, (event) => {
        if (event.type === "spawned") seen.push(event.task.name);
      });
      await taskGroup(scope, async (group) => {
        group.spawn(async function fetchUser() {});
        group.spawn(async () => {});
      });
      return seen;
    });
    expect(names).toEqual(["fetchUser", "task"]);
  });
});
