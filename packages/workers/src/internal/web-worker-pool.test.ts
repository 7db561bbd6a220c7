import { VirtualClock } from "@weft/timers";
import { describe, expect, it } from "vitest";
import { Terminator } from "./backend.ts";
import { READY, type TaskPayload } from "./protocol.ts";
import { type WebWorker, type WebWorkerLimits, WebWorkerPool } from "./web-worker-pool.ts";

/** A stand-in for a module Web Worker: records what it is sent; the test makes it answer. */
class FakeWorker extends EventTarget implements WebWorker {
  readonly posted: unknown[] = [];
  terminated = false;

  postMessage(message: unknown): void {
    if ((message as TaskPayload).input === "uncloneable") {
      throw new DOMException("could not be cloned", "DataCloneError");
    }
    this.posted.push((message as TaskPayload).input);
  }

  terminate(): void {
    this.terminated = true;
  }

  ready(): void {
    this.dispatchEvent(new MessageEvent("message", { data: READY }));
  }

  answer(data: unknown): void {
    this.dispatchEvent(new MessageEvent("message", { data }));
  }

  fail(message?: string): void {
    const event = new Event("error", { cancelable: true });
    if (message !== undefined) Object.defineProperty(event, "message", { value: message });
    this.dispatchEvent(event);
  }
}

const url = new URL("https://example.test/tasks.js");

function openPool(limits: Partial<WebWorkerLimits>) {
  const workers: FakeWorker[] = [];
  const clock = new VirtualClock();
  const pool = new WebWorkerPool(
    url,
    { minThreads: 1, maxThreads: 1, idleTimeout: 0, maxQueue: Infinity, clock, ...limits },
    () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
  );
  const run = (input: unknown, terminate = new Terminator()) =>
    pool.run(
      { weftTask: 1, input, port: { postMessage() {}, close() {} } },
      {
        transfer: [],
        terminate,
        name: undefined,
      },
    );
  return { pool, workers, clock, run };
}

const settled = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

function worker(workers: FakeWorker[], index: number): FakeWorker {
  const found = workers[index];
  if (found === undefined) throw new RangeError(`no worker ${index}`);
  return found;
}

describe("WebWorkerPool", () => {
  it("starts minThreads workers and hands queued runs to maxThreads of them in FIFO order", async () => {
    const { pool, workers, run } = openPool({ minThreads: 1, maxThreads: 2 });
    expect(pool.threads).toBe(1);
    const [a, b, c] = [run("a"), run("b"), run("c")];
    expect(pool.threads).toBe(2);
    expect(worker(workers, 0).posted).toEqual([]); // nothing is sent before the file has loaded
    worker(workers, 1).ready();
    worker(workers, 0).ready();
    expect([worker(workers, 0).posted, worker(workers, 1).posted]).toEqual([["a"], ["b"]]);
    worker(workers, 1).answer("B");
    expect(worker(workers, 1).posted).toEqual(["b", "c"]);
    worker(workers, 0).answer("A");
    worker(workers, 1).answer("C");
    expect(await Promise.all([a, b, c])).toEqual(["A", "B", "C"]);
  });

  it("refuses a run past maxQueue with an error naming the limit", async () => {
    const { workers, run } = openPool({ maxQueue: 1 });
    const running = run("a");
    const queued = run("b");
    await expect(run("c")).rejects.toThrow("The worker pool's queue is full (maxQueue: 1)");
    worker(workers, 0).ready();
    worker(workers, 0).answer("A");
    worker(workers, 0).answer("B");
    expect(await Promise.all([running, queued])).toEqual(["A", "B"]);
  });

  it("drops an aborted queued run and terminates the worker of an aborted running one", async () => {
    const { pool, workers, run } = openPool({});
    const first = new Terminator();
    const second = new Terminator();
    const running = settled(run("a", first));
    const queued = settled(run("b", second));
    worker(workers, 0).ready();
    second.abort("drop b");
    expect(await queued).toEqual({ error: "drop b" });
    expect(worker(workers, 0).terminated).toBe(false);
    first.abort("stop a");
    expect(await running).toEqual({ error: "stop a" });
    expect([worker(workers, 0).terminated, workers.length, pool.threads]).toEqual([true, 2, 1]);
    const next = run("c");
    worker(workers, 1).ready();
    worker(workers, 1).answer("C");
    expect(await next).toBe("C");
  });

  it("fails the run of a worker that cannot load, without restarting it in a loop", async () => {
    const { pool, workers, run } = openPool({});
    const first = settled(run("a"));
    worker(workers, 0).fail();
    expect(await first).toEqual({
      error: new Error(`The worker ${url.href} failed to load or threw outside its task`),
    });
    expect([workers.length, pool.threads]).toEqual([1, 0]);
  });

  it("replaces a loaded worker that crashes, failing only its run", async () => {
    const { pool, workers, run } = openPool({});
    worker(workers, 0).ready();
    const crashed = settled(run("a"));
    worker(workers, 0).fail("Uncaught Error: boom");
    expect(await crashed).toEqual({ error: new Error("Uncaught Error: boom") });
    expect([workers.length, pool.threads]).toEqual([2, 1]);
  });

  it("fails only the run whose input cannot be cloned", async () => {
    const { workers, run } = openPool({});
    worker(workers, 0).ready();
    const error = await run("uncloneable").catch((e: unknown) => e);
    expect((error as DOMException).name).toBe("DataCloneError");
    const next = run("b");
    worker(workers, 0).answer("B");
    expect(await next).toBe("B");
    expect(workers.length).toBe(1);
  });

  it("ends an idle worker above minThreads after idleTimeout on its clock", async () => {
    const { pool, workers, clock, run } = openPool({ minThreads: 0, idleTimeout: 100 });
    expect(pool.threads).toBe(0);
    const done = run("a");
    worker(workers, 0).ready();
    worker(workers, 0).answer("A");
    expect(await done).toBe("A");
    expect([pool.threads, clock.pending]).toEqual([1, 1]);
    await clock.advance(99);
    expect(pool.threads).toBe(1);
    await clock.advance(1);
    expect([pool.threads, worker(workers, 0).terminated, clock.pending]).toEqual([0, true, 0]);
  });

  it("rejects queued and running runs and terminates every worker when destroyed", async () => {
    const { pool, workers, run } = openPool({});
    const running = settled(run("a"));
    const queued = settled(run("b"));
    await pool.destroy();
    const closed = { error: new Error("The worker pool is closed") };
    expect([await running, await queued]).toEqual([closed, closed]);
    expect([worker(workers, 0).terminated, pool.threads]).toEqual([true, 0]);
    await expect(run("c")).rejects.toThrow("The worker pool is closed");
  });
});
