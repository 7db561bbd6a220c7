/**
 * The line of blocked callers of a channel, queue or broadcast: first come, first served, and a
 * cancelled caller leaves from wherever it stands. Every operation is O(1): a doubly linked list
 * whose nodes are the callers' handles (a `Set` is not: finding its first entry skips the holes
 * its deletions left, which grows with the traffic until the next rehash).
 * @internal
 * @packageDocumentation
 */

/** One caller's place in a {@link WaitQueue}, kept by the caller to leave the line. */
export interface Place {
  /** Whether the caller is still in the line. */
  readonly waiting: boolean;
}

class Node<T> implements Place {
  readonly value: T;
  previous: Node<T> | undefined = undefined;
  next: Node<T> | undefined = undefined;
  waiting = true;

  constructor(value: T) {
    this.value = value;
  }
}

export class WaitQueue<T> {
  #head: Node<T> | undefined = undefined;
  #tail: Node<T> | undefined = undefined;
  #size = 0;

  /** How many callers wait. */
  get size(): number {
    return this.#size;
  }

  /** Appends `value` at the end of the line. */
  push(value: T): Place {
    const node = new Node(value);
    node.previous = this.#tail;
    if (this.#tail === undefined) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    this.#size++;
    return node;
  }

  /** The caller at the head of the line, left in place. */
  peek(): T | undefined {
    return this.#head?.value;
  }

  /** Removes and returns the caller at the head of the line. */
  shift(): T | undefined {
    const head = this.#head;
    if (head === undefined) return undefined;
    this.remove(head);
    return head.value;
  }

  /** Takes `place` out of the line; nothing happens if it has left already. */
  remove(place: Place): void {
    const node = place as Node<T>;
    if (!node.waiting) return;
    node.waiting = false;
    if (node.previous === undefined) this.#head = node.next;
    else node.previous.next = node.next;
    if (node.next === undefined) this.#tail = node.previous;
    else node.next.previous = node.previous;
    node.previous = undefined;
    node.next = undefined;
    this.#size--;
  }

  /** Empties the line; returns the callers in their order. */
  takeAll(): T[] {
    const all: T[] = [];
    for (let node = this.#head; node !== undefined; node = node.next) {
      node.waiting = false;
      all.push(node.value);
    }
    this.#head = undefined;
    this.#tail = undefined;
    this.#size = 0;
    return all;
  }
}
