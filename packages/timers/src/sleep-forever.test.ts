import { CancelledError, run, taskGroup } from "@weft/core";
import { describe, expect, it } from "vitest";
import { sleepForever, VirtualClock } from "./index.ts";
import { spiedSignal } from "./spied-signal.test-support.ts";

describe("sleepForever", () => {
  it("only ends by cancellation, rejecting with the scope's CancelledError", async () => {
    const clock = new VirtualClock();
    const outcome = await run(
      async (scope) => {
        let error: unknown;
        let labels: string[] = [];
        await taskGroup(scope, async (group) => {
          const task = group.spawn((s) =>
            sleepForever(s).catch((caught: unknown) => {
              error = caught;
              throw caught;
            }),
          );
          await clock.advance(1e9);
          labels = [...task.blockedOn];
          expect(clock.pending).toBe(0);
          task.cancel("wake");
        });
        return [labels, CancelledError.is(error) && error.reason];
      },
      { clock },
    );
    expect(outcome).toEqual([["sleepForever"], "wake"]);
  });

  it("rejects with the signal's reason, at once if already aborted, and leaves no listener", async () => {
    const { controller, signal, listeners } = spiedSignal();
    const forever = sleepForever({ signal });
    expect(listeners()).toBe(1);
    controller.abort("later");
    await expect(forever).rejects.toBe("later");
    expect(listeners()).toBe(0);
    await expect(sleepForever({ signal })).rejects.toBe("later");
    expect(listeners()).toBe(0);
  });

  it("throws TypeError synchronously without options", () => {
    expect(() => sleepForever(undefined as never)).toThrow(
      new TypeError(
        "Expected `options` to be a scope or `{ signal }`, got `undefined`: without a scope or signal nothing could ever end the wait",
      ),
    );
  });

  it("throws TypeError synchronously for options with neither a scope nor a signal", () => {
    const clock = new VirtualClock();
    expect(() => sleepForever({})).toThrow(
      new TypeError(
        "Expected `options` to be a scope or `{ signal }`, got `{}` (object): without a scope or signal nothing could ever end the wait",
      ),
    );
    expect(() => sleepForever({ clock })).toThrow(TypeError);
    expect(() => sleepForever({ signal: undefined })).toThrow(TypeError);
    expect(clock.pending).toBe(0);
  });
});
