import { hasBrand } from "@weft/core/internal";

const QUEUE_FULL = Symbol.for("weft.QueueFullError");
const QUEUE_EMPTY = Symbol.for("weft.QueueEmptyError");
const QUEUE_SHUT_DOWN = Symbol.for("weft.QueueShutDownError");

/**
 * Thrown by `putNowait` on a full queue (asyncio's `QueueFull`).
 *
 * @example
 * ```ts
 * import { Queue, QueueFullError } from "@weft/channels";
 *
 * const queue = new Queue<number>(1);
 * queue.putNowait(1);
 * try {
 *   queue.putNowait(2);
 * } catch (error) {
 *   console.log(QueueFullError.is(error)); // true
 * }
 * ```
 */
export class QueueFullError extends Error {
  /** @param message - Defaults to "The queue is full". */
  constructor(message?: string) {
    super(message ?? "The queue is full");
    this.name = "QueueFullError";
  }

  /**
   * Whether `value` is a `QueueFullError`, also one made by another copy of this package.
   * @param value - Anything.
   * @returns `true` for a `QueueFullError`.
   */
  static is(value: unknown): value is QueueFullError {
    return hasBrand(value, QUEUE_FULL);
  }
}
Object.defineProperty(QueueFullError.prototype, QUEUE_FULL, { value: true });

/**
 * Thrown by `getNowait` on an empty queue (asyncio's `QueueEmpty`).
 *
 * @example
 * ```ts
 * import { Queue, QueueEmptyError } from "@weft/channels";
 *
 * try {
 *   new Queue<number>().getNowait();
 * } catch (error) {
 *   console.log(QueueEmptyError.is(error)); // true
 * }
 * ```
 */
export class QueueEmptyError extends Error {
  /** @param message - Defaults to "The queue is empty". */
  constructor(message?: string) {
    super(message ?? "The queue is empty");
    this.name = "QueueEmptyError";
  }

  /**
   * Whether `value` is a `QueueEmptyError`, also one made by another copy of this package.
   * @param value - Anything.
   * @returns `true` for a `QueueEmptyError`.
   */
  static is(value: unknown): value is QueueEmptyError {
    return hasBrand(value, QUEUE_EMPTY);
  }
}
Object.defineProperty(QueueEmptyError.prototype, QUEUE_EMPTY, { value: true });

/**
 * Thrown by a queue after `shutdown()` (asyncio's `QueueShutDown`): by `put`, `putNowait` and the
 * putters blocked at that moment, and by `get`/`getNowait` once the queue is empty (at once, and
 * to blocked getters, after `shutdown(true)`).
 *
 * @example
 * ```ts
 * import { Queue, QueueShutDownError } from "@weft/channels";
 *
 * const queue = new Queue<number>();
 * queue.shutdown();
 * try {
 *   queue.putNowait(1);
 * } catch (error) {
 *   console.log(QueueShutDownError.is(error)); // true
 * }
 * ```
 */
export class QueueShutDownError extends Error {
  /** @param message - Defaults to "The queue is shut down". */
  constructor(message?: string) {
    super(message ?? "The queue is shut down");
    this.name = "QueueShutDownError";
  }

  /**
   * Whether `value` is a `QueueShutDownError`, also one made by another copy of this package.
   * @param value - Anything.
   * @returns `true` for a `QueueShutDownError`.
   */
  static is(value: unknown): value is QueueShutDownError {
    return hasBrand(value, QUEUE_SHUT_DOWN);
  }
}
Object.defineProperty(QueueShutDownError.prototype, QUEUE_SHUT_DOWN, { value: true });
