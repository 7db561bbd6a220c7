import { it } from "@weft/testing/vitest";
import { sleep } from "@weft/timers";
import { describe, expect } from "vitest";
import {
  CancelledError,
  checkpoint,
  Event,
  moveOnAfter,
  TaskGroupError,
  taskGroup,
} from "../index.ts";

describe("a wait in a cancelled scope", () => {
  it("fails a task that swallows its cancellation in a loop, naming the task", async ({
    scope,
  }) => {
    let attempts = 0;
    const error = await taskGroup(scope, async (group) => {
      group.spawn(
        async (s) => {
          for (;;) {
            attempts++;
            try {
              await sleep(1000, s);
            } catch (caught) {
              if ((caught as Error).message.includes("swallowing")) throw caught;
            }
          }
        },
        { name: "poller" },
      );
      await sleep(10, scope);
      group.cancel();
    }).catch((caught: unknown) => caught);
    expect(TaskGroupError.is(error)).toBe(true);
    const [only] = (error as TaskGroupError).errors as CancelledError[];
    expect(CancelledError.is(only)).toBe(true);
    expect(only?.message).toMatch(
      /^Task "poller" \(#\d+\) started 1000 Weft waits after it was cancelled: it is swallowing CancelledError/,
    );
    expect(attempts).toBe(1001);
  });

  it("lets real timers fire while a cancelled task keeps waiting", async ({ scope }) => {
    let fired = false;
    const timer = setTimeout(() => {
      fired = true;
    }, 0);
    await taskGroup(scope, async (group) => {
      group.spawn(async (s) => {
        s.cancel();
        // Swallows 999 times, under the limit, and watches for the real timer.
        for (let i = 0; i < 999 && !fired; i++) await checkpoint(s).catch(() => undefined);
      });
    });
    clearTimeout(timer);
    expect(fired).toBe(true);
  });

  it("counts afresh for each new cancellation, so many absorbed timeouts are fine", async ({
    scope,
  }) => {
    let absorbed = 0;
    for (let i = 0; i < 1500; i++) {
      const value = await moveOnAfter(scope, 0, (s) => new Event().wait(s));
      if (value === undefined) absorbed++;
    }
    expect(absorbed).toBe(1500);
  });
});
