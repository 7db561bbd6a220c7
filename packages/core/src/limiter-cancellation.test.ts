import { fakeTime, waitAllTasksBlocked } from "@weft/testing";
import { sleep } from "@weft/timers";
import { describe, expect, it } from "vitest";
import { CancelledError, cancelScope, Limiter, suspend } from "./index.ts";
import { gate } from "./limiter.test-support.ts";

describe("Limiter", () => {
  it("removes a queued call at once when its scope is cancelled: it rejects and fn never runs", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const log: string[] = [];
    const { body, release } = gate(log);
    await fakeTime(async ({ scope }) => {
      const first = limiter.run(scope, body("first"));
      const outcome = cancelScope(scope, async (inner) => {
        const queued = limiter.run(inner, body("queued"));
        expect(limiter.size).toBe(1);
        inner.cancel("enough");
        expect(limiter.size).toBe(0);
        return queued.catch((error: unknown) => error);
      });
      const error = await outcome;
      expect(CancelledError.is(error)).toBe(true);
      expect((error as CancelledError).reason).toBe("enough");
      release("first");
      await first;
    });
    expect(log).toEqual(["first"]);
  });

  it("withdraws every queued call of a cancelled scope, at every priority, and keeps the others", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const log: string[] = [];
    const { body, release } = gate(log);
    await fakeTime(async ({ scope }) => {
      const first = limiter.run(scope, body("first"));
      const kept = limiter.run(scope, body("kept"));
      const outcomes = cancelScope(scope, async (inner) => {
        const queued = [
          limiter.run(inner, body("low"), { priority: -1 }),
          limiter.run(inner, body("high"), { priority: 1 }),
          limiter.run(inner, body("mid")),
        ];
        expect(limiter.size).toBe(4);
        inner.cancel("enough");
        expect(limiter.size).toBe(1);
        return Promise.all(queued.map((call) => call.catch((error: CancelledError) => error)));
      });
      const errors = (await outcomes) as CancelledError[];
      expect(errors.map((error) => [CancelledError.is(error), error.reason])).toEqual([
        [true, "enough"],
        [true, "enough"],
        [true, "enough"],
      ]);
      release("first");
      await waitAllTasksBlocked(scope);
      release("kept");
      expect(await Promise.all([first, kept])).toEqual(["first", "kept"]);
    });
    expect(log).toEqual(["first", "kept"]);
  });

  it("cancels a running call through its scope when the caller's scope is cancelled", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const log: string[] = [];
    await fakeTime(({ clock, scope }) =>
      cancelScope(scope, async (inner) => {
        clock.setTimer(5, () => inner.cancel());
        await limiter.run(inner, async (s) => {
          try {
            await sleep(100, s);
          } catch (error) {
            log.push(`${(error as Error).name} at ${clock.now()}`);
            throw error;
          }
        });
      }),
    );
    expect(log).toEqual(["CancelledError at 5"]);
    expect(limiter.active).toBe(0);
  });

  it("gives fn a child scope: cancelling it does not cancel the caller", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    await fakeTime(async ({ scope }) => {
      const error = await limiter
        .run(scope, async (s) => {
          expect(s).not.toBe(scope);
          s.cancel("inner");
          await suspend(s, "never", () => {});
        })
        .catch((caught: unknown) => caught);
      expect((error as CancelledError).reason).toBe("inner");
      expect(scope.cancelled).toBe(false);
    });
  });

  it("rejects onIdle with a cancelled scope, even when idle", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    const error = await fakeTime(({ scope }) =>
      cancelScope(scope, async (inner) => {
        inner.cancel();
        return limiter.onIdle(inner).catch((caught: unknown) => caught);
      }),
    );
    expect(CancelledError.is(error)).toBe(true);
  });

  it("rejects run at once with a cancelled scope, without calling fn", async () => {
    const limiter = new Limiter({ concurrency: 1 });
    let called = false;
    const error = await fakeTime(({ scope }) =>
      cancelScope(scope, async (inner) => {
        inner.cancel();
        return limiter
          .run(inner, async () => {
            called = true;
          })
          .catch((caught: unknown) => caught);
      }),
    );
    expect(CancelledError.is(error)).toBe(true);
    expect(called).toBe(false);
    expect(limiter.active).toBe(0);
  });
});
