import { describe, expect, it } from "vitest";
import type { TaskPayload } from "./protocol.ts";
import { RunTable, ThreadRunTable } from "./run-table.ts";

describe("RunTable", () => {
  it("gives each run a slot and an id; only one of the pool and the worker wins a queued run", () => {
    const table = new RunTable();
    const thread = new ThreadRunTable(table.link);
    const first = table.control();
    const second = table.control();
    const [a, b] = [first.payload(1, undefined), second.payload(2, "named")];
    expect([a.slot, a.id, b.slot, b.id]).toEqual([0, 1, 1, 2]);
    expect(second.transfer([])).toEqual([]);
    // The worker begins the first; the pool can no longer take it back.
    expect(thread.control(a).begin()).toBe(true);
    expect([first.started, first.takeBack()]).toEqual([true, false]);
    // The pool takes the second back; the worker may not begin it.
    expect(second.takeBack()).toBe(true);
    expect(thread.control(b).begin()).toBe(false);
    expect(second.started).toBe(false);
    table.close();
  });

  it("reuses a freed slot under a new id, so a stale task of the old run cannot begin", () => {
    const table = new RunTable();
    const thread = new ThreadRunTable(table.link);
    const old = table.control();
    const stale = old.payload("old", undefined);
    old.takeBack();
    old.release();
    const next = table.control();
    const fresh = next.payload("new", undefined);
    expect([fresh.slot, fresh.id]).toEqual([stale.slot, 2]);
    expect(thread.control(stale).begin()).toBe(false);
    expect(next.started).toBe(false);
    expect(thread.control(fresh).begin()).toBe(true);
    expect(next.started).toBe(true);
    table.close();
  });

  it("grows past its first 1,024 slots", () => {
    const table = new RunTable();
    const thread = new ThreadRunTable(table.link);
    const controls = Array.from({ length: 3000 }, () => table.control());
    const last = controls[2999]?.payload(0, undefined) as TaskPayload;
    expect([last.slot, last.id]).toEqual([2999, 3000]);
    expect(thread.control(last).begin()).toBe(true);
    expect(controls[2999]?.started).toBe(true);
    table.close();
  });

  it("aborts only the begun run with the aborted id", async () => {
    const table = new RunTable();
    const thread = new ThreadRunTable(table.link);
    const calls: string[] = [];
    const ended = table.control();
    const endedRun = thread.control(ended.payload(0, undefined));
    endedRun.begin();
    endedRun.onAbort(() => calls.push("ended"));
    endedRun.end();
    const running = table.control();
    const runningRun = thread.control(running.payload(1, undefined));
    runningRun.begin();
    const aborted = new Promise<void>((resolve) =>
      runningRun.onAbort(() => {
        calls.push("running");
        resolve();
      }),
    );
    ended.abort();
    running.abort();
    await aborted;
    expect(calls).toEqual(["running"]);
    table.close();
  });
});
