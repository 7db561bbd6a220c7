import { CancelledError, cancelScope, run } from "@weft/core";
import { describe, expect, it } from "vitest";
import { openWorkerPool, WorkerError } from "./index.ts";

const filename = new URL("../test/fixtures/tasks.mjs", import.meta.url);
// Without vitest's `--conditions @weft/source`: the fixture loads the built package.
const execArgv: string[] = [];

/** An AbortController whose signal counts its attached abort listeners. */
function countedSignal(): { controller: AbortController; attached: () => number } {
  const controller = new AbortController();
  const signal = controller.signal;
  let attached = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListener, options?: unknown) => {
    if (type === "abort") attached++;
    add(type, listener, options as AddEventListenerOptions);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListener, options?: unknown) => {
    if (type === "abort") attached--;
    remove(type, listener, options as EventListenerOptions);
  }) as typeof signal.removeEventListener;
  return { controller, attached: () => attached };
}

describe("WorkerPool", () => {
  it("runs 1,000 tasks over 2 threads with the right results", async () => {
    await run(async (scope) => {
      await using pool = openWorkerPool(scope, {
        filename,
        execArgv,
        maxThreads: 2,
        minThreads: 2,
      });
      const inputs = Array.from({ length: 1000 }, (_, i) => i);
      const outputs = await Promise.all(inputs.map((n) => pool.run<number, number>(n)));
      expect(outputs).toEqual(inputs.map((n) => n * n));
      expect(pool.threads).toBe(2);
    });
  });

  it("rejects a cancelled queued run at once with the scope's CancelledError", async () => {
    await run(async (scope) => {
      await using pool = openWorkerPool(scope, {
        filename,
        execArgv,
        maxThreads: 1,
        minThreads: 1,
      });
      const busy = pool.run(200, { name: "wait" });
      while (pool.running === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await cancelScope(scope, async (inner) => {
        const queued = pool.run(1, { signal: inner });
        expect([pool.running, pool.queued]).toEqual([1, 1]);
        const started = Date.now();
        inner.cancel("stop");
        const error = await queued.catch((e: unknown) => e);
        expect(CancelledError.is(error)).toBe(true);
        expect(Date.now() - started).toBeLessThan(100);
        expect(pool.queued).toBe(0);
      });
      expect(await busy).toBe(200);
    });
  });

  it("terminates a running task that ignores its signal after `grace`", async () => {
    await run(async (scope) => {
      await using pool = openWorkerPool(scope, { filename, execArgv, maxThreads: 1, grace: 50 });
      const controller = new AbortController();
      const spinning = pool.run(0, { name: "spin", signal: controller.signal });
      while (pool.running === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const reason = new CancelledError();
      const started = Date.now();
      controller.abort(reason);
      await expect(spinning).rejects.toBe(reason);
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
      expect(await pool.run(3)).toBe(9);
    });
  });

  it("aborts the worker-side signal of a cooperative task", async () => {
    await run(async (scope) => {
      await using pool = openWorkerPool(scope, { filename, execArgv, maxThreads: 1, grace: 5000 });
      const controller = new AbortController();
      const running = pool.run(0, { name: "cooperative", signal: controller.signal });
      while (pool.running === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const started = Date.now();
      controller.abort("stop");
      await expect(running).rejects.toBe("stop");
      expect(Date.now() - started).toBeLessThan(1000);
    });
  });

  it("rejects with a WorkerError carrying the revived error", async () => {
    await run(async (scope) => {
      await using pool = openWorkerPool(scope, { filename, execArgv, maxThreads: 1 });
      const error = await pool.run(0, { name: "fail" }).catch((e: unknown) => e);
      expect(WorkerError.is(error)).toBe(true);
      const workerError = error as WorkerError;
      expect(workerError.name).toBe("WorkerError");
      expect(workerError.message).toBe("bad input");
      expect(workerError.stack).toContain("tasks.mjs");
      const cause = workerError.cause as Error & { code: string };
      expect([cause.name, cause.message, cause.code]).toEqual([
        "ParseError",
        "bad input",
        "E_PARSE",
      ]);
      expect((cause.cause as Error).name).toBe("RangeError");
    });
  });

  it("rejects a crashed run with a WorkerError and runs the next one", async () => {
    await run(async (scope) => {
      await using pool = openWorkerPool(scope, {
        filename,
        execArgv,
        maxThreads: 2,
        minThreads: 2,
      });
      const other = pool.run(100, { name: "wait" });
      const error = await pool.run(0, { name: "exit" }).catch((e: unknown) => e);
      expect(WorkerError.is(error)).toBe(true);
      expect(await other).toBe(100);
      expect(await pool.run(4)).toBe(16);
    });
  });

  it("leaves no abort listener on the caller's signal", async () => {
    await run(async (scope) => {
      await using pool = openWorkerPool(scope, { filename, execArgv, maxThreads: 1, grace: 0 });
      const { controller, attached } = countedSignal();
      expect(await pool.run(2, { signal: controller.signal })).toBe(4);
      await pool.run(0, { name: "fail", signal: controller.signal }).catch(() => undefined);
      expect(attached()).toBe(0);
      const spinning = pool.run(0, { name: "spin", signal: controller.signal });
      expect(attached()).toBe(1);
      controller.abort("stop");
      await expect(spinning).rejects.toBe("stop");
      expect(attached()).toBe(0);
    });
  });

  it("settles 300 runs with interleaved cancellations, each with its own output or reason", async () => {
    await run(async (scope) => {
      await using pool = openWorkerPool(scope, {
        filename,
        execArgv,
        maxThreads: 2,
        minThreads: 2,
      });
      const signals = Array.from({ length: 300 }, () => countedSignal());
      const runs = signals.map(({ controller }, i) =>
        pool.run<number, number>(i, { signal: controller.signal }).catch((e: unknown) => e),
      );
      // Runs 0 and 1 are already on their threads; every third later one is cancelled while queued.
      const cancelled = (i: number) => i >= 5 && i % 3 === 2;
      signals.forEach(({ controller }, i) => {
        if (cancelled(i)) controller.abort(`cancelled ${i}`);
      });
      const outcomes = await Promise.all(runs);
      expect(outcomes).toEqual(signals.map((_, i) => (cancelled(i) ? `cancelled ${i}` : i * i)));
      expect(signals.map(({ attached }) => attached()).filter((n) => n !== 0)).toEqual([]);
      expect([pool.running, pool.queued, pool.threads]).toEqual([0, 0, 2]);
    });
  });

  it("close() rejects queued runs made without a signal at once and the running one after grace", async () => {
    await run(async (scope) => {
      const pool = openWorkerPool(scope, { filename, execArgv, maxThreads: 1, grace: 50 });
      const spinning = pool.run(0, { name: "spin" }).catch((e: unknown) => e);
      const queued = [pool.run(1), pool.run(2)].map((p) => p.catch((e: unknown) => e));
      while (pool.running === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      expect([pool.running, pool.queued]).toEqual([1, 2]);
      const started = Date.now();
      const closed = pool.close();
      expect(pool.queued).toBe(0);
      const [first, second] = await Promise.all(queued);
      expect(Date.now() - started).toBeLessThan(45);
      expect([CancelledError.is(first), CancelledError.is(second)]).toEqual([true, true]);
      expect(CancelledError.is(await spinning)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
      await closed;
      expect([pool.threads, pool.running, pool.queued]).toEqual([0, 0, 0]);
    });
  });

  it("ends every thread when its scope is cancelled", async () => {
    let pool: ReturnType<typeof openWorkerPool> | undefined;
    let pending: Promise<unknown> | undefined;
    await run(async (scope) => {
      await cancelScope(scope, async (inner) => {
        pool = openWorkerPool(inner, {
          filename,
          execArgv,
          maxThreads: 2,
          minThreads: 2,
          grace: 50,
        });
        pending = pool.run(0, { name: "spin" }).catch((e: unknown) => e);
        while (pool.running === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        inner.cancel();
      });
      expect(CancelledError.is(await pending)).toBe(true);
      await pool?.close();
      expect(pool?.threads).toBe(0);
    });
  });
  it("makes its scope's exit wait until every thread has ended, with no await using or close()", async () => {
    let pool: ReturnType<typeof openWorkerPool> | undefined;
    const squares = await run(async (scope) => {
      const inner = await cancelScope(scope, async (owner) => {
        pool = openWorkerPool(owner, { filename, execArgv, maxThreads: 2, minThreads: 2 });
        const results = await Promise.all([
          pool.run<number, number>(3),
          pool.run<number, number>(4),
        ]);
        expect(pool.threads).toBeGreaterThan(0);
        return results;
      });
      // The cancel scope has exited: its pool is closed and every thread has ended.
      expect(pool?.threads).toBe(0);
      return inner;
    });
    expect(squares).toEqual([9, 16]);
    await expect(pool?.run(1)).rejects.toThrow("The worker pool is closed");
  });
});

describe("openWorkerPool", () => {
  it("checks its options synchronously", async () => {
    await run(async (scope) => {
      expect(() => openWorkerPool(scope, {} as never)).toThrow(TypeError);
      expect(() => openWorkerPool(scope, { filename: 3 } as never)).toThrow(
        "Expected `options.filename` to be a non-empty string or a URL, got `3` (number)",
      );
      expect(() => openWorkerPool(scope, { filename, execArgv, maxThreads: 0 })).toThrow(
        RangeError,
      );
      expect(() => openWorkerPool(scope, { filename, execArgv, grace: -1 })).toThrow(RangeError);
      expect(() => openWorkerPool(scope, { filename, execArgv, grace: "1" as never })).toThrow(
        TypeError,
      );
      expect(() =>
        openWorkerPool(scope, { filename, execArgv, minThreads: 3, maxThreads: 2 }),
      ).toThrow(RangeError);
      expect(() => openWorkerPool({} as never, { filename })).toThrow(TypeError);
    });
  });
});
