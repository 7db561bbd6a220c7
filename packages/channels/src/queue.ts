import { suspend, type Waiter, type WaitOptions } from "@weft/core";
import { assertOptionalBoolean, numberError } from "@weft/core/internal";
import { FifoStore, type QueueStore } from "./internal/queue-store.ts";
import { UnfinishedWork } from "./internal/unfinished-work.ts";
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
  readonly #unfinished: UnfinishedWork = new UnfinishedWork();
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
   * @example
   * ```ts
   * import { run } from "@weft/core";
   * import { Queue } from "@weft/channels";
   *
   * const queue = new Queue<string>(1);
   * await run((scope) => queue.put("job", scope));
   * console.log(queue.size, queue.full); // 1 true
   * ```
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
   * @example
   * ```ts
   * import { Queue } from "@weft/channels";
   *
   * const queue = new Queue<number>(2);
   * queue.putNowait(1);
   * queue.putNowait(2);
   * console.log(queue.size, queue.full); // 2 true
   * ```
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
   * @example
   * ```ts
   * import { run } from "@weft/core";
   * import { Queue } from "@weft/channels";
   *
   * const queue = new Queue<string>();
   * queue.putNowait("first");
   * queue.putNowait("second");
   * console.log(await run((scope) => queue.get(scope))); // first
   * ```
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
   * @example
   * ```ts
   * import { Queue } from "@weft/channels";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(7);
   * console.log(queue.getNowait(), queue.empty); // 7 true
   * ```
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
   * @example
   * ```ts
   * import { run } from "@weft/core";
   * import { Queue } from "@weft/channels";
   *
   * const queue = new Queue<string>();
   * queue.putNowait("job");
   * queue.getNowait();
   * queue.taskDone(); // the only item is processed: join resolves at once
   * await run((scope) => queue.join(scope));
   * console.log("all done"); // all done
   * ```
   */
  taskDone(): void {
    this.#unfinished.done();
  }

  /**
   * Waits until every item put has been marked done with `taskDone()`; at once if none is unfinished.
   * @param options - A scope or `{ signal }`.
   * @returns A promise that resolves when the unfinished count reaches 0.
   * @throws The `CancelledError` (or the signal's reason) when cancelled.
   * @example
   * ```ts
   * import { run } from "@weft/core";
   * import { Queue } from "@weft/channels";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(1);
   * await run(async (scope) => {
   *   const joined = queue.join(scope); // waits: 1 item is unfinished
   *   queue.getNowait();
   *   queue.taskDone();
   *   await joined;
   * });
   * console.log("joined"); // joined
   * ```
   */
  join(options?: WaitOptions): Promise<void> {
    return this.#unfinished.join(options);
  }

  /**
   * Shuts the queue down, as Python 3.13: from now on `put` and `putNowait` throw
   * {@link QueueShutDownError}, and so do the putters blocked now; `get` keeps returning what is
   * queued, then throws it. With `immediate`, the queued items are discarded (each counts as done
   * for `join`) and blocked getters throw at once. Idempotent.
   * @param immediate - Discard the queued items. Defaults to `false`.
   * @throws `TypeError` when `immediate` is not a boolean.
   * @example
   * ```ts
   * import { Queue, QueueShutDownError } from "@weft/channels";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(1);
   * queue.shutdown(); // puts now throw; gets drain what is queued, then throw
   * console.log(queue.getNowait()); // 1
   * try {
   *   queue.putNowait(2);
   * } catch (error) {
   *   console.log(QueueShutDownError.is(error)); // true
   * }
   * ```
   */
  shutdown(immediate = false): void {
    assertOptionalBoolean(immediate, "immediate");
    this.#shutDown = true;
    if (immediate) {
      this.#unfinished.discard(this.#store.clear());
    }
    const error = new QueueShutDownError();
    for (const putter of this.#putters.takeAll()) putter.waiter.reject(error);
    if (this.#store.size === 0) {
      for (const getter of this.#getters.takeAll()) getter.reject(error);
    }
  }

  /** Queues an item there is room for: straight to the longest waiting getter, else the store. */
  #accept(item: T): void {
    this.#unfinished.add();
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

  get [Symbol.toStringTag](): string {
    return "Queue";
  }
}
