import { fakeTime, waitAllTasksBlocked } from "@weft/testing";
import { it } from "@weft/testing/vitest";
import { describe, expect } from "vitest";
import {
  formatTaskTree,
  observeTasks,
  type Scope,
  suspend,
  type TaskEvent,
  taskGroup,
  taskStats,
  taskTree,
  type Waiter,
} from "./index.ts";

// Under the harness the root task is fakeTime's, named "test".

describe("taskTree", () => {
  it("snapshots every live task with its name, state and what it is blocked on", async ({
    scope,
  }) => {
    const text = await taskGroup(scope, async (group) => {
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
      await waitAllTasksBlocked(scope);
      const dump = formatTaskTree(taskTree(group.scope));
      for (const waiter of gates) waiter.resolve();
      return dump;
    });
    expect(text).toBe(
      [
        "#1 test (running)",
        "  #2 supervisor (blocked on TaskGroup.join)",
        "    #4 reader (blocked on Channel.receive)",
        "  #3 writer (blocked on Lock.acquire)",
      ].join("\n"),
    );
  });
});

describe("observeTasks", () => {
  it("reports spawned, blocked, resumed and finished transitions in order", async ({ scope }) => {
    const events: string[] = [];
    const stop = observeTasks(scope, (event: TaskEvent) =>
      events.push(`${event.type} ${event.task.name}${event.label ? ` ${event.label}` : ""}`),
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
    expect(events).toEqual([
      "spawned waiter",
      "blocked waiter Event.wait",
      "blocked test TaskGroup.join",
      "resumed waiter Event.wait",
      "finished waiter",
      "resumed test TaskGroup.join",
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
      value = await fakeTime(async ({ scope }) => {
        const stop = observeTasks(scope, () => {
          stop();
          throw boom;
        });
        return taskGroup(scope, async (group) => group.spawn(async () => 1).result);
      });
      // One real macrotask turn: the observer's error surfaces from a queued microtask.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.removeAllListeners("uncaughtException");
      for (const listener of runnerListeners) process.on("uncaughtException", listener);
    }
    expect(value).toBe(1);
    expect(uncaught).toEqual([boom]);
  });
});

describe("taskStats", () => {
  it("counts live and blocked tasks and pending joins in constant time", async ({ scope }) => {
    const stats = await taskGroup(scope, async (group) => {
      let open: Waiter<void> | undefined;
      const task = group.spawn((s) =>
        suspend<void>(s, "x", (waiter) => {
          open = waiter;
        }),
      );
      group.spawn(async () => {});
      await waitAllTasksBlocked(scope);
      const joining = task.result;
      const during = taskStats(scope);
      const joined = (async () => {
        await joining;
      })();
      await waitAllTasksBlocked(scope);
      const whileJoined = taskStats(scope);
      open?.resolve();
      await joined;
      return [during, whileJoined, taskStats(scope)];
    });
    expect(stats).toEqual([
      { live: 2, blocked: 1, joins: 0 },
      { live: 2, blocked: 1, joins: 1 },
      { live: 1, blocked: 0, joins: 0 },
    ]);
  });
});

describe("observeTasks and names", () => {
  it("lets an observer read a new task's default name during the spawned event", async ({
    scope,
  }) => {
    const names: string[] = [];
    const stop = observeTasks(scope, (event) => {
      if (event.type === "spawned") names.push(event.task.name);
    });
    await taskGroup(scope, async (group) => {
      group.spawn(async function fetchUser() {});
      group.spawn(async () => {});
    });
    stop();
    expect(names).toEqual(["fetchUser", "task"]);
  });
});

describe("observeTasks and waits that never park", () => {
  it("reports no blocked or resumed event for a wait that completes while registering", async () => {
    const events = await fakeTime(async ({ scope }) => {
      const seen: string[] = [];
      const stop = observeTasks(scope, (event) => seen.push(`${event.type} ${event.label ?? ""}`));
      await suspend<void>(scope, "Lock.acquire", (waiter) => {
        waiter.resolve();
        return undefined;
      });
      stop();
      return seen;
    });
    expect(events).toEqual([]);
  });
});

describe("formatTaskTree on bad input", () => {
  it("throws a TypeError naming the value instead of failing inside", () => {
    expect(() => formatTaskTree({} as never)).toThrow(
      new TypeError("Expected `snapshot` to be a TaskSnapshot (from taskTree), got `{}` (object)"),
    );
  });
});
