/*
 * The bits of `ScopeImpl.flags`, all in one place: every scope uses the low three, and a task (a
 * task is its own scope) keeps its life cycle in the bits above them.
 */

/** The scope's body has exited: it is unlinked from its parent and has no deadline timer. */
export const EXITED = 1;
/** The scope absorbed a `CancelledError` at its boundary (`cancelledCaught`). */
export const CAUGHT = 2;
/** Cancellation of ancestors does not reach the scope. */
export const SHIELD = 4;

/** The mask of a task's state: `PENDING`, `RUNNING`, `BLOCKED` or `DONE`. */
export const TASK_STATE = 24;
/** The task's function has not been called yet. */
export const PENDING = 0;
export const RUNNING = 8;
/** The task is in at least one Weft wait. */
export const BLOCKED = 16;
export const DONE = 24;
/** Set with `DONE` when the task ended with a value rather than an error. */
export const FULFILLED = 32;
/** The scope has clean-ups that its exit waits for (internal/exit-cleanups.ts). */
export const CLEANUPS = 64;
