/** An entry of a priority heap: higher `priority` first, then lower `order`. */
export interface HeapEntry {
  readonly priority: number;
  /** Breaks ties between equal priorities: lower first. */
  order: number;
  /** The entry's position in the heap, maintained by the heap functions; -1 when not in it. */
  index: number;
}

/*
 * A binary heap over a plain array, as functions rather than a class: the limiter's queue is a heap
 * of lanes (one per scope and priority, see limiter-queue.ts) ordered by priority and then by the
 * arrival of each lane's first call. With a single lane, the usual case, every operation is O(1);
 * with `k` lanes, O(log k).
 */

function precedes(a: HeapEntry, b: HeapEntry): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.order < b.order);
}

/** Adds `entry` to `heap`. */
export function heapPush<T extends HeapEntry>(heap: T[], entry: T): void {
  entry.index = heap.length;
  heap.push(entry);
  up(heap, entry.index);
}

/** Removes `entry`, which must be in `heap`. */
export function heapRemove<T extends HeapEntry>(heap: T[], entry: T): void {
  const index = entry.index;
  entry.index = -1;
  const last = heap.pop() as T;
  if (last === entry) return;
  heap[index] = last;
  last.index = index;
  if (index > 0 && precedes(last, heap[(index - 1) >> 1] as T)) up(heap, index);
  else down(heap, index);
}

/** Restores the heap's order after `entry.order` grew. */
export function heapSink<T extends HeapEntry>(heap: T[], entry: T): void {
  if (heap.length > 1) down(heap, entry.index);
}

function up<T extends HeapEntry>(heap: T[], index: number): void {
  const entry = heap[index] as T;
  while (index > 0) {
    const parentIndex = (index - 1) >> 1;
    const parent = heap[parentIndex] as T;
    if (!precedes(entry, parent)) break;
    heap[index] = parent;
    parent.index = index;
    index = parentIndex;
  }
  heap[index] = entry;
  entry.index = index;
}

function down<T extends HeapEntry>(heap: T[], index: number): void {
  const length = heap.length;
  const entry = heap[index] as T;
  for (;;) {
    let child = 2 * index + 1;
    if (child >= length) break;
    const right = child + 1;
    if (right < length && precedes(heap[right] as T, heap[child] as T)) child = right;
    const candidate = heap[child] as T;
    if (!precedes(candidate, entry)) break;
    heap[index] = candidate;
    candidate.index = index;
    index = child;
  }
  heap[index] = entry;
  entry.index = index;
}
