import { assertFunction, typeError } from "./internal/validate.ts";
import { toScope } from "./is-scope.ts";
import type { ScopeImpl } from "./scope.ts";
import { TaskImpl } from "./task.ts";
import type { Scope, TaskObserver, TaskState, TaskStats } from "./types.ts";

/**
 * A frozen picture of one live task and the live tasks below it.
 * @example
 * ```ts
 * import { run, type TaskSnapshot, taskTree } from "@weft/core";
 *
 * await run(async (scope) => {
 *   const root: TaskSnapshot = taskTree(scope);
 *   console.log(root.id, root.name, root.state, root.children.length); // 1 main running 0
 * });
 * ```
 */
export interface TaskSnapshot {
  readonly id: number;
  readonly name: string;
  readonly state: TaskState;
  /** The labels of the Weft waits it is blocked in; empty when running. */
  readonly blockedOn: readonly string[];
  /** Whether its scope is cancelled. */
  readonly cancelled: boolean;
  readonly children: readonly TaskSnapshot[];
}

/**
 * Watches every task of the run that `scope` belongs to: spawned, blocked, resumed, finished.
 * Costs nothing while nobody observes. An observer that throws is reported as an uncaught error and
 * does not disturb the run.
 *
 * @param scope - Any scope of the run.
 * @param observer - Called synchronously at each transition.
 * @returns A function that stops the observation.
 * @example
 * ```ts
 * import { observeTasks, run, taskGroup } from "@weft/core";
 *
 * await run(async (scope) => {
 *   const seen: string[] = [];
 *   const stop = observeTasks(scope, (event) => seen.push(`${event.type} ${event.task.name}`));
 *   await taskGroup(scope, async (group) => {
 *     group.spawn(async function worker() {});
 *   });
 *   stop();
 *   console.log(seen.includes("spawned worker"), seen.includes("finished worker")); // true true
 * });
 * ```
 */
export function observeTasks(scope: Scope, observer: TaskObserver): () => void {
  const runtime = toScope(scope, "scope").runtime;
  assertFunction(observer, "observer");
  runtime.observers = [...(runtime.observers ?? []), observer];
  return () => {
    const remaining = (runtime.observers ?? []).filter((each) => each !== observer);
    runtime.observers = remaining.length > 0 ? remaining : undefined;
  };
}

/**
 * Counts the live and blocked tasks of the run `scope` belongs to, in constant time.
 * @param scope - Any scope of the run.
 * @returns The run's counters.
 * @example
 * ```ts
 * import { run, taskStats } from "@weft/core";
 *
 * await run(async (scope) => {
 *   console.log(taskStats(scope)); // { live: 1, blocked: 0, joins: 0 }
 * });
 * ```
 */
export function taskStats(scope: Scope): TaskStats {
  const { live, blocked, joins } = toScope(scope, "scope").runtime;
  return { live, blocked, joins };
}

/** Finds the live tasks nearest below `scope` (a task's own scope is the task), walking the scope tree. */
function childTasks(scope: ScopeImpl, into: TaskSnapshot[]): void {
  for (let child = scope.firstChild; child !== undefined; child = child.next) {
    if (child instanceof TaskImpl) into.push(snapshotOf(child));
    else childTasks(child, into);
  }
}

function snapshotOf(task: TaskImpl<unknown>): TaskSnapshot {
  const children: TaskSnapshot[] = [];
  childTasks(task, children);
  return {
    id: task.id,
    name: task.name,
    state: task.state,
    blockedOn: task.blockedOn,
    cancelled: task.cancelled,
    children,
  };
}

/**
 * Takes a snapshot of the whole task tree of the run that `scope` belongs to, from its root task.
 * @param scope - Any scope of the run.
 * @returns The root task's snapshot.
 * @example
 * ```ts
 * import { formatTaskTree, run, taskTree } from "@weft/core";
 *
 * await run(async (scope) => {
 *   console.log(formatTaskTree(taskTree(scope))); // #1 main (running)
 * });
 * ```
 */
export function taskTree(scope: Scope): TaskSnapshot {
  let root = toScope(scope, "scope");
  while (root.parent !== undefined) root = root.parent;
  // Only a task has no parent scope: the root task of the run.
  if (!(root instanceof TaskImpl)) throw new Error("A scope tree has no root task");
  return snapshotOf(root);
}

/**
 * Renders a snapshot as an indented tree, one task a line with what it is blocked on.
 * @param snapshot - From {@link taskTree}.
 * @returns Lines such as `#3 worker (blocked on Channel.receive)`.
 * @example
 * ```ts
 * import { formatTaskTree } from "@weft/core";
 *
 * console.log(formatTaskTree({ id: 1, name: "main", state: "blocked", blockedOn: ["sleep"], cancelled: false, children: [] }));
 * // #1 main (blocked on sleep)
 * ```
 */
export function formatTaskTree(snapshot: TaskSnapshot): string {
  if (!isSnapshot(snapshot))
    throw typeError("snapshot", "a TaskSnapshot (from taskTree)", snapshot);
  const lines: string[] = [];
  const visit = (node: TaskSnapshot, depth: number): void => {
    const state = node.state === "blocked" ? `blocked on ${node.blockedOn.join(", ")}` : node.state;
    lines.push(
      `${"  ".repeat(depth)}#${node.id} ${node.name} (${state}${node.cancelled ? ", cancelled" : ""})`,
    );
    for (const child of node.children) visit(child, depth + 1);
  };
  visit(snapshot, 0);
  return lines.join("\n");
}

function isSnapshot(value: unknown): value is TaskSnapshot {
  const node = value as Partial<TaskSnapshot> | null;
  return (
    typeof node === "object" &&
    node !== null &&
    typeof node.name === "string" &&
    typeof node.state === "string" &&
    Array.isArray(node.children) &&
    Array.isArray(node.blockedOn)
  );
}
