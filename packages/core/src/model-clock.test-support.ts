// Shared by the property tests' reference models; never shipped (see `files` in package.json).
import { type Scope, suspend } from "./index.ts";

/** A timer of a reference model. */
export interface ModelTimer {
  due: number;
  seq: number;
  live: boolean;
  fire(): void;
}

/** The models' clock: timers fire by due time, ties in registration order, one at a time. */
export class ModelClock {
  now = 0;
  #seq = 0;
  #timers: ModelTimer[] = [];

  setTimer(due: number, fire: () => void): ModelTimer {
    const timer: ModelTimer = { due, seq: this.#seq++, live: true, fire };
    this.#timers.push(timer);
    return timer;
  }

  /** Fires timers by due time, ties in registration order, until none is left. */
  runTimers(): void {
    for (;;) {
      let next: ModelTimer | undefined;
      for (const timer of this.#timers) {
        if (
          timer.live &&
          (next === undefined ||
            timer.due < next.due ||
            (timer.due === next.due && timer.seq < next.seq))
        ) {
          next = timer;
        }
      }
      if (next === undefined) return;
      next.live = false;
      this.#timers = this.#timers.filter((timer) => timer.live);
      this.now = next.due;
      next.fire();
    }
  }
}

/**
 * A Weft wait of `ms` on the scope's clock that always goes through the clock's timer queue, 0 ms
 * included. The models count every sleep as a timer, ordered against the other timers due at that
 * instant by registration; `sleep` of `@weft/timers` resolves a 0 ms sleep at once without a timer,
 * which is another (legal) order than the one modelled.
 */
export function timerSleep(scope: Scope, ms: number): Promise<void> {
  return suspend<void>(scope, "sleep", (waiter) => {
    const timer = scope.clock.setTimer(scope.clock.now() + ms, () => waiter.resolve());
    return () => timer.cancel();
  });
}
