/**
 * The async iterator of a channel's `for await`: one receive per `next`, until the channel is
 * closed and drained or a receive throws.
 * @internal
 * @packageDocumentation
 */

/** What an iterator's receive resolves with once the channel is closed and drained. */
export const END: unique symbol = Symbol("end");

/**
 * Iterates over what `receive` resolves with, until it resolves {@link END} (the iteration is done)
 * or rejects (the iteration throws, then is done). `return` (a `break`) ends it at once and
 * receives nothing more.
 */
export function receiveIterator<T>(
  receive: () => Promise<T | typeof END>,
): AsyncIterableIterator<T, undefined> {
  let done = false;
  const finished: IteratorResult<T, undefined> = { done: true, value: undefined };
  const iterator: AsyncIterableIterator<T, undefined> = {
    next: async (): Promise<IteratorResult<T, undefined>> => {
      if (done) return finished;
      let value: T | typeof END;
      try {
        value = await receive();
      } catch (error) {
        done = true;
        throw error;
      }
      if (value === END) {
        done = true;
        return finished;
      }
      return { done: false, value };
    },
    return: async (): Promise<IteratorResult<T, undefined>> => {
      done = true;
      return finished;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
