import { describe, expect, it } from "vitest";
import { trackListeners } from "./index.ts";

const noop = (): void => {};

describe("trackListeners: what it counts", () => {
  it("rejects a target that is not an EventTarget, naming it", () => {
    expect(() => trackListeners(null as never)).toThrow(
      new TypeError("Expected `target` to be an EventTarget, got `null`"),
    );
    expect(() => trackListeners("signal" as never)).toThrow(
      new TypeError("Expected `target` to be an EventTarget, got `signal`"),
    );
    expect(() => trackListeners({ addEventListener: noop } as never)).toThrow(
      new TypeError("Expected `target` to be an EventTarget, got `[object Object]`"),
    );
    expect(() => trackListeners({ removeEventListener: noop } as never)).toThrow(
      new TypeError("Expected `target` to be an EventTarget, got `[object Object]`"),
    );
  });

  it("rejects an event type that is not a string, naming it", () => {
    expect(() => trackListeners(new EventTarget(), 5 as never)).toThrow(TypeError);
    expect(() => trackListeners(new EventTarget(), 5 as never)).toThrow(/`type`.*`5`/);
  });

  it("counts only listeners of its event type, and ignores null ones", () => {
    const target = new EventTarget();
    const tracker = trackListeners(target);
    target.addEventListener("message", noop);
    target.addEventListener("abort", null);
    expect(tracker.count).toBe(0);
    target.addEventListener("abort", noop);
    expect(tracker.count).toBe(1);
    // Removing the same function for another type, or null, leaves it counted.
    target.removeEventListener("message", noop);
    target.removeEventListener("abort", null);
    expect(tracker.count).toBe(1);
    target.removeEventListener("abort", noop);
    expect(tracker.count).toBe(0);
    tracker.restore();
  });

  it("keeps a listener's first registration, as the event target does", () => {
    const target = new EventTarget();
    const tracker = trackListeners(target);
    let calls = 0;
    const listener = (): void => {
      calls++;
    };
    target.addEventListener("abort", listener);
    // Ignored by the target: the listener stays registered without `once`.
    target.addEventListener("abort", listener, { once: true });
    expect(tracker.count).toBe(1);
    target.dispatchEvent(new Event("abort"));
    target.dispatchEvent(new Event("abort"));
    expect(calls).toBe(2);
    expect(tracker.count).toBe(1);
    tracker.restore();
  });

  it("does not count a listener added with an already aborted signal", () => {
    const target = new EventTarget();
    const tracker = trackListeners(target);
    target.addEventListener("abort", noop, { signal: AbortSignal.abort() });
    expect(tracker.count).toBe(0);
    target.addEventListener("abort", noop, { signal: new AbortController().signal });
    expect(tracker.count).toBe(1);
    tracker.restore();
  });

  it("drops a `once` listener when its event fires, and keeps the others", () => {
    const target = new EventTarget();
    const tracker = trackListeners(target);
    const other = (): void => {};
    target.addEventListener("abort", noop, { once: true });
    target.addEventListener("abort", other);
    expect(tracker.count).toBe(2);
    target.dispatchEvent(new Event("abort"));
    expect(tracker.count).toBe(1);
    tracker.restore();
  });
});
