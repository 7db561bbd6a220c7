/*
 * How a change of cancellation spreads down the scope tree: the changed scope recomputes what it is
 * cancelled by, and each child whose answer changed passes it on, depth first, in child order,
 * without recursion (a tree may be deep).
 */

/** What propagation reads of a scope. */
export interface PropagationNode<N extends PropagationNode<N>> {
  readonly firstChild: N | undefined;
  /** The previous sibling; for the first child, the last one. */
  readonly prev: N | undefined;
  /** Recomputes the effective cancellation (waking waiters, aborting the signal); returns whether it changed. */
  recompute(): boolean;
}

/** Propagates a change of `root`'s cancellation state through its subtree. */
export function refresh<N extends PropagationNode<N>>(root: N): void {
  if (!root.recompute()) return;
  const stack: N[] = [];
  pushChildren(root, stack);
  for (let scope = stack.pop(); scope !== undefined; scope = stack.pop()) {
    if (scope.recompute()) pushChildren(scope, stack);
  }
}

/** Pushes the children of `scope`, last first, so that they pop in order. */
function pushChildren<N extends PropagationNode<N>>(scope: N, stack: N[]): void {
  const first = scope.firstChild;
  for (let child = first?.prev; child !== undefined; child = child.prev) {
    stack.push(child);
    if (child === first) return;
  }
}
