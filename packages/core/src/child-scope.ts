import { type Named, ScopeImpl, type ScopeTask } from "./scope.ts";

/**
 * A scope that is not a task: opened by `cancelScope` and its kin, or for one `Limiter.run` call.
 * The code running in it belongs to the task of its parent.
 */
export class ChildScope extends ScopeImpl {
  readonly task: ScopeTask;

  constructor(parent: ScopeImpl, name: string | Named | undefined, shield = false) {
    super(parent, parent.runtime, name, shield);
    this.task = parent.task;
  }
}
