import { trackListeners } from "@weft/testing";

/** A signal whose live "abort" listeners are counted by `listeners()`. */
export function spiedSignal(controller: AbortController = new AbortController()): {
  controller: AbortController;
  signal: AbortSignal;
  listeners: () => number;
} {
  const tracker = trackListeners(controller.signal);
  return { controller, signal: controller.signal, listeners: () => tracker.count };
}
