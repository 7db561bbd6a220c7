import { typeError } from "@weft/core/internal";

/**
 * What {@link trackListeners} reports.
 * @example
 * ```ts
 * import { type ListenerTracker, trackListeners } from "@weft/testing";
 *
 * const target = new EventTarget();
 * const tracker: ListenerTracker = trackListeners(target);
 * const listener = () => {};
 * target.addEventListener("abort", listener);
 * console.log(tracker.count); // 1
 * target.removeEventListener("abort", listener);
 * console.log(tracker.count); // 0
 * tracker.restore();
 * ```
 */
export interface ListenerTracker {
  /** Listeners of the tracked type that are attached now (a `once` listener until its event fires). */
  readonly count: number;
  /** Stops tracking and puts the target's own methods back. Idempotent. */
  restore(): void;
}

type Listener = EventListenerOrEventListenerObject;

/**
 * Counts the listeners of one event type attached to `target`, to assert that code which listens on
 * a signal it was given (`{ signal }` options, a scope's `signal`) removes its listener when it is
 * done: Weft's "no leaks" rule, checked in your own tests.
 *
 * It wraps `addEventListener` and `removeEventListener` of this one object until `restore()`; the
 * listeners themselves run as before. A listener added twice counts once, as the platform attaches
 * it once; a `once` listener stops counting when its event fires.
 *
 * @param target - Usually an `AbortSignal`.
 * @param type - The event type to count. Defaults to `"abort"`.
 * @returns The live count and `restore()`.
 * @throws `TypeError` when `target` is not an `EventTarget`-like object.
 * @example
 * ```ts
 * import { trackListeners } from "@weft/testing";
 * import { VirtualClock, sleep } from "@weft/timers";
 *
 * const clock = new VirtualClock();
 * const controller = new AbortController();
 * const listeners = trackListeners(controller.signal);
 * const slept = sleep(100, { signal: controller.signal, clock });
 * console.log(listeners.count); // 1
 * await clock.advance(100);
 * await slept;
 * console.log(listeners.count); // 0
 * listeners.restore();
 * ```
 */
export function trackListeners(target: EventTarget, type = "abort"): ListenerTracker {
  if (
    typeof target !== "object" ||
    target === null ||
    typeof target.addEventListener !== "function" ||
    typeof target.removeEventListener !== "function"
  ) {
    throw new TypeError(`Expected \`target\` to be an EventTarget, got \`${String(target)}\``);
  }
  if (typeof type !== "string") throw typeError("type", "an event type string", type);
  const live = new Map<Listener, { once: boolean }>();
  const add = target.addEventListener;
  const remove = target.removeEventListener;
  const onEvent = (): void => {
    for (const [listener, entry] of live) if (entry.once) live.delete(listener);
  };
  // Registered first, so it runs before any tracked listener: `once` ones are gone after this event.
  add.call(target, type, onEvent);
  shadow(target, "addEventListener", function (this: EventTarget, kind, listener, options) {
    const signal = typeof options === "object" ? options.signal : undefined;
    if (kind === type && listener !== null && !live.has(listener) && !signal?.aborted) {
      live.set(listener, { once: typeof options === "object" && options.once === true });
    }
    add.call(this, kind, listener, options);
  });
  shadow(target, "removeEventListener", function (this: EventTarget, kind, listener, options) {
    if (kind === type && listener !== null) live.delete(listener);
    remove.call(this, kind, listener, options);
  });
  let restored = false;
  return {
    get count(): number {
      return live.size;
    },
    restore(): void {
      if (restored) return;
      restored = true;
      delete (target as { addEventListener?: unknown }).addEventListener;
      delete (target as { removeEventListener?: unknown }).removeEventListener;
      remove.call(target, type, onEvent);
    },
  };
}

/** Puts `method` on `target` itself, in front of the prototype's; `restore` deletes it again. */
function shadow<K extends "addEventListener" | "removeEventListener">(
  target: EventTarget,
  name: K,
  method: EventTarget[K],
): void {
  Object.defineProperty(target, name, { configurable: true, writable: true, value: method });
}
