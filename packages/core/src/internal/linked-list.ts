/*
 * The one intrusive list of core: a scope's waiters and the line of a sync primitive are doubly
 * linked through `prev`/`next` fields of their own nodes, so that joining and leaving allocate
 * nothing and a node leaves in O(1) from wherever it stands. A scope's children are linked the same
 * way, by code of their own in scope.ts (see `ScopeImpl.exit` for why).
 *
 * A list is known by its first node alone; the first node's `prev` points at the last one, so that
 * appending is O(1) too. A node is in a list exactly when its `prev` is set.
 */

/** A node of an intrusive list: what a type needs to be linked into one. */
export interface ListNode<N> {
  /** The previous node; for the first node, the last one; `undefined` when not in a list. */
  prev: N | undefined;
  /** The next node; `undefined` for the last one. */
  next: N | undefined;
}

/**
 * Appends `node` to the list whose first node is `first`.
 * @returns The list's first node afterwards.
 */
export function append<N extends ListNode<N>>(first: N | undefined, node: N): N {
  node.next = undefined;
  if (first === undefined) {
    node.prev = node;
    return node;
  }
  const last = first.prev ?? first;
  last.next = node;
  node.prev = last;
  first.prev = node;
  return first;
}

/**
 * Removes `node` from the list whose first node is `first`; a node in no list is left alone.
 * @returns The list's first node afterwards.
 */
export function unlink<N extends ListNode<N>>(first: N | undefined, node: N): N | undefined {
  const prev = node.prev;
  if (prev === undefined || first === undefined) return first;
  const next = node.next;
  node.prev = undefined;
  node.next = undefined;
  if (next !== undefined) next.prev = prev;
  else if (node !== first) first.prev = prev;
  if (node === first) return next;
  prev.next = next;
  return first;
}
