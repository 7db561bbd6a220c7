/**
 * Reports an error thrown by a user callback (an observer, `onUndelivered`) as an uncaught error,
 * rethrown in a microtask, so that the caller's own state stays consistent and nothing is lost.
 */
export function reportUncaught(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
