import { ScopeImpl } from "../scope.ts";

/**
 * The run's way to reorder simultaneous choices, when `options` is a scope of a run that has one
 * (the test harness's seed), else `undefined`: primitives that choose at random among ready
 * alternatives (`select`) use it, so that a seeded test replays the same choices.
 */
export function shuffleOf(options: unknown): (<T>(items: T[]) => void) | undefined {
  return options instanceof ScopeImpl ? options.runtime.shuffle : undefined;
}
