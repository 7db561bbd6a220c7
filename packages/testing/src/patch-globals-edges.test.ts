import { describe, expect, it } from "vitest";
import { fakeTime } from "./index.ts";

const patched = { patchGlobals: true, autojump: { idle: 0 } } as const;

describe("fakeTime({ patchGlobals }): timer arguments", () => {
  it("rejects a callback that is not a function with Node's message", async () => {
    const message = await fakeTime(async () => {
      try {
        setTimeout(5 as never, 10);
        return "no error";
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    }, patched);
    expect(message).toBe('TypeError: The "callback" argument must be of type function. Received 5');
  });

  it("runs a timer whose delay is negative, NaN or infinite at once, and reads a numeric string", async () => {
    const fired = await fakeTime(async ({ clock }) => {
      const seen: string[] = [];
      await new Promise<void>((resolve) => {
        setTimeout(() => seen.push(`"20" at ${clock.now()}`), "20" as never);
        setTimeout(() => seen.push(`-5 at ${clock.now()}`), -5);
        setTimeout(() => seen.push(`NaN at ${clock.now()}`), Number.NaN);
        setTimeout(() => seen.push(`Infinity at ${clock.now()}`), Number.POSITIVE_INFINITY);
        setTimeout(resolve, 30);
      });
      return seen;
    }, patched);
    expect(fired).toEqual(["-5 at 0", "NaN at 0", "Infinity at 0", '"20" at 20']);
  });

  it("clears a timer by its numeric id or that id as a string, and keeps it referenced by default", async () => {
    const fired = await fakeTime(async () => {
      const seen: string[] = [];
      const byNumber = setTimeout(() => seen.push("by number"), 10);
      const byString = setTimeout(() => seen.push("by string"), 10);
      const kept = setTimeout(() => seen.push("kept"), 10);
      const refs = [byNumber.hasRef(), kept.hasRef()];
      clearTimeout(Number(byNumber));
      clearTimeout(String(Number(byString)) as never);
      clearTimeout({} as never); // not a timer: nothing happens
      await new Promise<void>((resolve) => setTimeout(resolve, 20));
      return { seen, refs };
    }, patched);
    expect(fired).toEqual({ seen: ["kept"], refs: [true, true] });
  });
});
