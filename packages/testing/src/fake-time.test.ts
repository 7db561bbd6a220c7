import { readFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import { checkpoint, Event, gather, type Scope, taskGroup } from "@weft/core";
import { sleep } from "@weft/timers";
import { describe, expect, it } from "vitest";
import { DeadlockError, fakeTime, TestClock } from "./index.ts";

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : 0);
    });
  });
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/" }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on("end", () => resolve(text));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("fakeTime", () => {
  it("jumps time to the next timer whenever every task is blocked, taking no real time", async () => {
    const log = await fakeTime(async ({ clock, scope }) => {
      const seen: string[] = [];
      await taskGroup(scope, async (group) => {
        group.spawn(async (s) => {
          await sleep(3_600_000, s);
          seen.push(`hour at ${clock.now()}`);
        });
        group.spawn(async (s) => {
          await sleep(1000, s);
          seen.push(`second at ${clock.now()}`);
        });
      });
      return seen;
    });
    expect(log).toEqual(["second at 1000", "hour at 3600000"]);
  });

  it("gives the body a TestClock starting at `start` and the run's root scope", async () => {
    const seen = await fakeTime(
      async ({ clock, scope }) => [
        clock instanceof TestClock,
        clock.now(),
        scope.clock === clock,
        scope.name,
      ],
      { start: 500 },
    );
    expect(seen).toEqual([true, 500, true, "test"]);
  });

  it("counts waiting on gather, a group's children and another task's result as Weft waits", async () => {
    const times = await fakeTime(({ clock, scope }) =>
      taskGroup(scope, async (group) => {
        const slow = group.spawn(async (s) => {
          await sleep(300, s);
          return clock.now();
        });
        const [a] = await gather(scope, [
          async (s) => {
            await sleep(100, s);
            return clock.now();
          },
        ]);
        const b = await slow.result;
        return [a, b, clock.now()];
      }),
    );
    expect(times).toEqual([100, 300, 300]);
  });

  it("holds time still while a task awaits real I/O: a server on 127.0.0.1 and a file read", async () => {
    const server = createServer((_req, res) => {
      // Answer after a few real milliseconds, so that a jump would have had every chance to happen.
      globalThis.setTimeout(() => res.end("pong"), 20);
    });
    const port = await listen(server);
    try {
      const log = await fakeTime(async ({ clock, scope }) => {
        const events: string[] = [];
        await taskGroup(scope, async (group) => {
          group.spawn(async (s) => {
            await sleep(1000, s);
            events.push(`sleeper woke at ${clock.now()}`);
          });
          group.spawn(async () => {
            const body = await get(port);
            events.push(`http ${body} at ${clock.now()}`);
            const text = await readFile(new URL("../package.json", import.meta.url), "utf8");
            events.push(`file ${JSON.parse(text).name} at ${clock.now()}`);
          });
        });
        return events;
      });
      expect(log).toEqual(["http pong at 0", "file @weft/testing at 0", "sleeper woke at 1000"]);
    } finally {
      server.close();
    }
  });

  it("rejects at once with a DeadlockError showing each task and what it waits on", async () => {
    const error = await fakeTime(async ({ scope }) => {
      const never = new Event();
      await taskGroup(scope, async (group) => {
        group.spawn((s) => never.wait(s), { name: "consumer" });
        group.spawn(async function producer(s: Scope) {
          await sleep(50, s);
          await never.wait(s);
        });
      });
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeadlockError);
    expect(DeadlockError.is(error)).toBe(true);
    expect((error as DeadlockError).time).toBe(50);
    expect((error as DeadlockError).message).toBe(
      [
        "Deadlock: every task is blocked in a Weft wait and no timer is pending, at virtual time 50 ms",
        "#1 test (blocked on TaskGroup.join)",
        "  #2 consumer (blocked on Event.wait)",
        "  #3 producer (blocked on Event.wait)",
      ].join("\n"),
    );
  });

  it("fails a hung test after `timeout` ms of real time with the task tree instead of hanging", async () => {
    const error = await fakeTime(
      async ({ scope }) => {
        await taskGroup(scope, async (group) => {
          group.spawn((s) => sleep(10, s), { name: "sleeper" });
          await new Promise(() => {}); // a foreign promise that never settles
        });
      },
      { timeout: 30 },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeadlockError);
    expect((error as Error).message).toBe(
      [
        "fakeTime: the test was still running after 30 ms of real time, at virtual time 0 ms",
        "#1 test (running)",
        "  #2 sleeper (blocked on sleep)",
      ].join("\n"),
    );
  });

  it("lets the test drive time by hand with autojump off", async () => {
    const log = await fakeTime(
      async ({ clock, scope }) => {
        const seen: number[] = [];
        const sleeping = sleep(100, scope).then(() => seen.push(clock.now()));
        await clock.advance(99);
        seen.push(-1);
        await clock.advance(1);
        await sleeping;
        return seen;
      },
      { autojump: false },
    );
    expect(log).toEqual([-1, 100]);
  });

  it("returns the body's value and rejects with exactly what it throws", async () => {
    expect(await fakeTime(async () => "value")).toBe("value");
    const boom = new Error("boom");
    await expect(fakeTime(async () => Promise.reject(boom))).rejects.toBe(boom);
  });

  it("makes 10,000 virtual sleeps take well under a second of real time", async () => {
    const started = performance.now();
    const total = await fakeTime(async ({ clock, scope }) => {
      await taskGroup(scope, async (group) => {
        for (let t = 0; t < 10; t++) {
          group.spawn(async (s) => {
            for (let i = 0; i < 1000; i++) await sleep(7 + t, s);
          });
        }
      });
      return clock.now();
    });
    expect(total).toBe(16_000);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("throws a TypeError or RangeError naming a bad option, synchronously", () => {
    expect(() => fakeTime("x" as never)).toThrow(
      new TypeError('Expected `body` to be a function, got `"x"` (string)'),
    );
    expect(() => fakeTime(async () => 1, { timeout: 0 })).toThrow(
      new RangeError("Expected `timeout` to be a positive number, got `0` (number)"),
    );
    expect(() => fakeTime(async () => 1, { seed: 1.5 })).toThrow(
      new RangeError("Expected `seed` to be an integer, got `1.5` (number)"),
    );
    expect(() => fakeTime(async () => 1, { autojump: "yes" as never })).toThrow(
      new TypeError('Expected `autojump` to be a boolean or { idle }, got `"yes"` (string)'),
    );
    expect(() => fakeTime(async () => 1, { epoch: Number.NaN })).toThrow(RangeError);
  });

  it("throws a TypeError for an option of the wrong type and a RangeError for a bad number", () => {
    expect(() => fakeTime(async () => 1, { timeout: "5s" as never })).toThrow(
      new TypeError('Expected `timeout` to be a positive number, got `"5s"` (string)'),
    );
    expect(() => fakeTime(async () => 1, { seed: "7" as never })).toThrow(
      new TypeError('Expected `seed` to be an integer, got `"7"` (string)'),
    );
    expect(() => fakeTime(async () => 1, { epoch: "now" as never })).toThrow(
      new TypeError('Expected `epoch` to be a finite number, got `"now"` (string)'),
    );
    expect(() => fakeTime(async () => 1, { patchGlobals: "yes" as never })).toThrow(
      new TypeError('Expected `patchGlobals` to be a boolean, got `"yes"` (string)'),
    );
    expect(() => fakeTime(async () => 1, { start: Number.NaN })).toThrow(
      new RangeError("Expected `start` to be a number, got `NaN` (number)"),
    );
    expect(() => fakeTime(async () => 1, { autojump: { idle: -1 } })).toThrow(
      new RangeError("Expected `idle` to be a non-negative finite number, got `-1` (number)"),
    );
    expect(() => fakeTime(async () => 1, 5 as never)).toThrow(
      new TypeError("Expected `options` to be an object, got `5` (number)"),
    );
  });

  it("keeps running checkpoints from blocking the jump", async () => {
    const now = await fakeTime(async ({ clock, scope }) => {
      await checkpoint(scope);
      await sleep(5, scope);
      return clock.now();
    });
    expect(now).toBe(5);
  });
});
