import { describeValue } from "./internal/validate.ts";
import { toScope } from "./is-scope.ts";
import type { ScopeImpl } from "./scope.ts";
import { suspend } from "./suspend.ts";
import { TaskImpl } from "./task.ts";
import type { Scope, Task } from "./types.ts";

/** Checks that `tasks` is a non-empty list of tasks spawned into `group`, and copies it. */
function toGroupTasks<T extends Task<unknown>>(group: ScopeImpl, tasks: unknown): T[] {
  if (
    typeof tasks !== "object" ||
    tasks === null ||
    typeof (tasks as Iterable<unknown>)[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(
      `Expected \`tasks\` to be an iterable of tasks, got ${describeValue(tasks)}`,
    );
  }
  const list = [...(tasks as Iterable<unknown>)];
  if (list.length === 0) {
    throw new RangeError("Expected `tasks` to hold at least one task, got an empty list");
  }
  for (const [index, task] of list.entries()) {
    if (!(task instanceof TaskImpl) || task.parent !== group) {
      throw new TypeError(
        `Expected \`tasks[${index}]\` to be a task spawned into this group, got ${describeValue(task)}`,
      );
    }
  }
  return list as T[];
}

/**
 * The body of `group.waitAny`: resolves with the first of `tasks` to finish, leaving the others
 * running (asyncio's `wait(..., return_when=FIRST_COMPLETED)`).
 *
 * A task already finished wins at once (the first such in list order). The wait is a Weft wait in
 * `scope` (default: the group's scope), marked blocked on `"TaskGroup.waitAny"`: when that scope is
 * cancelled it rejects with its `CancelledError`. A task that fails still fails the group by the
 * group's rules: the failure cancels the group's scope, so a wait in that scope (or below it)
 * rejects with the group's `CancelledError`, and the group then throws its `TaskGroupError`.
 */
export function waitAny<T extends Task<unknown>>(
  group: ScopeImpl,
  tasks: Iterable<T>,
  scope: Scope | undefined,
): Promise<T> {
  const list = toGroupTasks<T>(group, tasks);
  const target = scope === undefined ? group : toScope(scope, "scope");
  return suspend<T>(target, "TaskGroup.waitAny", (waiter) => {
    const done = list.find((task) => task.done);
    if (done !== undefined) {
      waiter.resolve(done);
      return undefined;
    }
    for (const task of list) {
      const finished = (): void => {
        waiter.resolve(task);
      };
      // `result` settles once per task; a reaction after the wait ended does nothing.
      task.result.then(finished, finished);
    }
    return undefined;
  });
}
