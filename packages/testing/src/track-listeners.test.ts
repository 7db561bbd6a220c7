import { describe, expect, it } from "vitest";
import { trackListeners } from "./index.ts";

describe("trackListeners", () => {
  it("counts the listeners attached now, a duplicate once, and restores the target", () => {
    const controller = new AbortController();
    const signal = controller.signal;
    const tracker = trackListeners(signal);
    const a = (): void => {};
    const b = { handleEvent(): void {} };
    signal.addEventListener("abort", a);
    signal.addEventListener("abort", a);
    signal.addEventListener("abort", b);
    signal.addEventListener("other", a);
    expect(tracker.count).toBe(2);
    signal.removeEventListener("abort", a);
    expect(tracker.count).toBe(1);
    tracker.restore();
    expect(Object.hasOwn(signal, "addEventListener")).toBe(false);
    expect(signal.addEventListener).toBe(AbortSignal.prototype.addEventListener);
  });

  it("stops counting a once listener when its event fires, but not a plain one", () => {
    const controller = new AbortController();
    const tracker = trackListeners(controller.signal);
    const fired: string[] = [];
    controller.signal.addEventListener("abort", () => fired.push("once"), { once: true });
    controller.signal.addEventListener("abort", () => fired.push("plain"));
    expect(tracker.count).toBe(2);
    controller.abort();
    expect([fired, tracker.count]).toEqual([["once", "plain"], 1]);
    tracker.restore();
  });

  it("throws a TypeError for something that is not an EventTarget", () => {
    expect(() => trackListeners({} as never)).toThrow(TypeError);
  });
});
