import { suspend, type Waiter, type WaitOptions } from "@weft/core";
import { assertOptionalBoolean, numberError } from "@weft/core/internal";
import { FifoStore, type QueueStore } from "./internal/queue-store.ts";
import { WaitQueue } from "./internal/wait-queue.ts";
import { QueueEmptyError, QueueFullError, QueueShutDownError } from "./queue-errors.ts";

interface Putter<T> {
  readonly item: T;
  readonly waiter: Waiter<void>;
}

let replaceStore: <T>(queue: Queue<T>, store: QueueStore<T>) => void;

/** Gives a queue another storage order (used by `PriorityQueue` and `LifoQueue`). @internal */
export function useStore<T>(queue: Queue<T>, store: QueueStore<T>): void {
  replaceStore(queue, store);
}

/**
 * A first-in, first-out queue for tasks, as Python's `asyncio.Queue` (3.13): `put` waits while the
 * queue is full, `get` while it is empty, `taskDone` and `join` count the work still unfinished,
 * and `shutdown` ends it.
 *
 * Blocked putters and getters are served in arrival order; an item put while a getter waits goes
 * straight to it. Every `put`, `get` and `join` is a Weft wait and a checkpoint: a cancelled `put`
 * added nothing, a cancelled `get` removed nothing.
 *
 * @example
 * ```ts
 * import { run, taskGroup } from "@weft/core";
 * import { Queue } from "@weft/channels";
 *
 * await run(async (scope) => {
 *   const queue = new Queue<string>(1);
 *   const seen: string[] = [];
 *   await taskGroup(scope, async (group) => {
 *     group.spawn(async (s) => {
 *       for (const word of ["a", "b", "c"]) await queue.put(word, s); // waits while one is queued
 *     });
 *     for (let i = 0; i < 3; i++) {
 *       seen.push(await queue.get(scope));
 *       queue.taskDone();
 *     }
 *   });
 *   await queue.join(scope);
 *   console.log(seen); // [ 'a', 'b', 'c' ]
 * });
 * ```
 */
export class Queue<T> {
  readonly #maxsize: number;
  #store: QueueStore<T> = new FifoStore<T>();
  readonly #getters: WaitQueue<Waiter<T>> = new WaitQueue();
  readonly #putters: WaitQueue<Putter<T>> = new WaitQueue();
  readonly #joiners: WaitQueue<Waiter<void>> = new WaitQueue();
  #unfinished = 0;
  #shutDown = false;

  static {
    replaceStore = (queue, store) => {
      queue.#store = store;
    };
  }

  /**
   * @param maxsize - The most items it holds; 0 or less (the default) is unbounded.
   * @throws `TypeError`/`RangeError` when `maxsize` is not an integer.
   */
  constructor(maxsize = 0) {
    if (!Number.isSafeInteger(maxsize)) {
      throw numberError(maxsize, "maxsize", "an integer (0 or less: unbounded)");
    }
    this.#maxsize = maxsize;
  }

  /** The most items the queue holds, as given; 0 or less is unbounded. */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** How many items are queued. */
  get size(): number {
    return this.#store.size;
  }

  /** Whether no item is queued. */
  get empty(): boolean {
    return this.#store.size === 0;
  }

  /** Whether the queue holds `maxsize` items (never, when unbounded). */
  get full(): boolean {
    return this.#maxsize > 0 && this.#store.size >= this.#maxsize;
  }

  /**
   * Adds `item`, waiting while the queue is full.
   * @param item - The item.
   * @param options - A scope or `{ signal }`: cancelling it while waiting adds nothing.
   * @returns A promise that resolves once the item is queued (or handed to a waiting getter).
   * @throws {@link QueueShutDownError} after `shutdown()`, also to a put blocked at that moment;
   *   the `CancelledError` (or the signal's reason) when cancelled.
   */
  put(item: T, options?: WaitOptions): Promise<void> {
    return suspend<void>(options, "Queue.put", (waiter) => {
      if (this.#shutDown) {
        waiter.reject(new QueueShutDownError());
        return undefined;
      }
      if (!this.full) {
        if (waiter.resolve()) this.#accept(item);
        return undefined;
      }
      const place = this.#putters.push({ item, waiter });
      return () => this.#putters.remove(place);
    });
  }

  /**
   * Adds `item` now.
   * @param item - The item.
   * @throws {@link QueueFullError} when the queue is full; {@link QueueShutDownError} after `shutdown()`.
   */
  putNowait(item: T): void {
    if (this.#shutDown) throw new QueueShutDownError();
    if (this.full) throw new QueueFullError();
    this.#accept(item);
  }

  /**
   * Removes and returns the next item, waiting while the queue is empty.
   * @param options - A scope or `{ signal }`: cancelling it while waiting removes nothing.
   * @returns A promise for the item.
   * @throws {@link QueueShutDownError} once the queue is shut down and empty (at once after
   *   `shutdown(true)`); the `CancelledError` (or the signal's reason) when cancelled.
   */
  get(options?: WaitOptions): Promise<T> {
    return suspend<T>(options, "Queue.get", (waiter) => {
      if (this.#store.size > 0) {
        if (waiter.resolve(this.#store.peek())) this.#taken();
        return undefined;
      }
      if (this.#shutDown) {
        waiter.reject(new QueueShutDownError());
        return undefined;
      }
      const place = this.#getters.push(waiter);
      return () => this.#getters.remove(place);
    });
  }

  /**
   * Removes and returns the next item now.
   * @returns The item.
   * @throws {@link QueueEmptyError} when the queue is empty; {@link QueueShutDownError} when it is
   *   empty and shut down.
   */
  getNowait(): T {
    if (this.#store.size === 0) {
      throw this.#shutDown ? new QueueShutDownError() : new QueueEmptyError();
    }
    const item = this.#store.peek();
    this.#taken();
    return item;
  }

  /**
   * Marks one item taken from the queue as processed; when every item put has been, `join`
   * resolves.
   * @throws `RangeError` when called more often than items were put.
   */
  taskDone(): void {
    if (this.#unfinished <= 0) {
      throw new RangeError("Queue.taskDone() was called more times than there were items put");
    }
    if (--this.#unfinished === 0) this.#finish();
  }

  /**
   * Waits until every item put has been marked done with `taskDone()`; at once if none is unfinished.
   * @param options - A scope or `{ signal }`.
   * @returns A promise that resolves when the unfinished count reaches 0.
   * @throws The `CancelledError` (or the signal's reason) when cancelled.
   */
  join(options?: WaitOptions): Promise<void> {
    return suspend<void>(options, "Queue.join", (waiter) => {
      if (this.#unfinished === 0) {
        waiter.resolve();
        return undefined;
      }
      const place = this.#joiners.push(waiter);
      return () => this.#joiners.remove(place);
    });
  }

  /**
   * Shuts the queue down, as Python 3.13: from now on `put` and `putNowait` throw
   * {@link QueueShutDownError}, and so do the putters blocked now; `get` keeps returning what is
   * queued, then throws it. With `immediate`, the queued items are discarded (each counts as done
   * for `join`) and blocked getters throw at once. Idempotent.
   * @param immediate - Discard the queued items. Defaults to `false`.
   * @throws `TypeError` when `immediate` is not a boolean.
   */
  shutdown(immediate = false): void {
    assertOptionalBoolean(immediate, "immediate");
    this.#shutDown = true;
    if (immediate) {
      const removed = this.#store.clear();
      const before = this.#unfinished;
      this.#unfinished = Math.max(0, before - removed);
      if (before > 0 && this.#unfinished === 0) this.#finish();
    }
    const error = new QueueShutDownError();
    for (const putter of this.#putters.takeAll()) putter.waiter.reject(error);
    if (this.#store.size === 0) {
      for (const getter of this.#getters.takeAll()) getter.reject(error);
    }
  }

  /** Queues an item there is room for: straight to the longest waiting getter, else the store. */
  #accept(item: T): void {
    this.#unfinished++;
    for (let getter = this.#getters.shift(); getter !== undefined; getter = this.#getters.shift()) {
      if (getter.resolve(item)) return;
    }
    this.#store.push(item);
  }

  /** Removes the item just handed out, then lets blocked putters fill the room it left. */
  #taken(): void {
    this.#store.take();
    while (!this.full) {
      const putter = this.#putters.shift();
      if (putter === undefined) return;
      if (putter.waiter.resolve()) this.#accept(putter.item);
    }
  }

  #finish(): void {
    for (const joiner of this.#joiners.takeAll()) joiner.resolve();
  }

  get [Symbol.toStringTag](): string {
    return "Queue";
  }
}
