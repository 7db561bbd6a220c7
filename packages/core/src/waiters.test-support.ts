// Shared by the Lock and Semaphore model-based tests; never shipped (see `files` in package.json).
import type { TestClock } from "@weft/testing";
import { cancelScope, type Scope, type TaskGroup, type WaitOptions } from "./index.ts";

/** A waiter in a model's line; `viaScope` when it waits through a cancel scope of its own. */
export interface ModelWaiter {
  id: number;
  viaScope: boolean;
}

/** The real side's waiters: how to cancel each one not granted yet, and the scope of each. */
export interface RealWaiters {
  group: TaskGroup;
  clock: TestClock;
  cancel: Map<number, () => void>;
  scopes: Map<number, Scope>;
}

/**
 * Starts waiter `id`: `acquire` through a cancel scope in a task of its own, or through a plain
 * signal. Until `acquire` resolves (and `granted` runs), `real.cancel` can cancel it.
 */
export function startWaiter(
  real: RealWaiters,
  id: number,
  viaScope: boolean,
  acquire: (options: WaitOptions) => Promise<void>,
  granted: () => void,
): void {
  const onGranted = (): void => {
    granted();
    real.cancel.delete(id);
  };
  if (viaScope) {
    real.group.spawn((task) =>
      cancelScope(task, (scope) => {
        real.cancel.set(id, () => scope.cancel());
        real.scopes.set(id, scope);
        return acquire(scope).then(onGranted);
      }),
    );
  } else {
    const controller = new AbortController();
    real.cancel.set(id, () => controller.abort());
    acquire({ signal: controller.signal }).then(onGranted, () => {});
  }
}

/** Cancels waiter `id` if it is still waiting. */
export function cancelWaiter(real: RealWaiters, id: number): void {
  real.cancel.get(id)?.();
  real.cancel.delete(id);
}

/** Takes the waiter through a scope that `pick` selects out of the model's `line`; returns its id. */
export function takeScopeWaiter(line: ModelWaiter[], pick: number): number {
  const candidates = line.filter((entry) => entry.viaScope);
  const { id } = candidates[pick % candidates.length] as ModelWaiter;
  line.splice(
    line.findIndex((entry) => entry.id === id),
    1,
  );
  return id;
}

/**
 * Runs `release` one millisecond from now, the instant waiter `id`'s deadline falls due, and moves
 * the clock there. The release's timer is registered before the deadline's, so it fires first.
 */
export async function raceDeadline(
  real: RealWaiters,
  id: number,
  release: () => void,
): Promise<void> {
  const at = real.clock.now() + 1;
  real.clock.setTimer(at, release);
  (real.scopes.get(id) as Scope).deadline = at;
  real.cancel.delete(id);
  await real.clock.advance(1);
}
