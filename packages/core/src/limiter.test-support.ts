import { type Scope, suspend } from "./index.ts";

/** A call body that runs until `release(name)` is called, logging its start. */
export function gate(log: string[]) {
  const open = new Map<string, () => void>();
  return {
    body: (name: string) => (scope: Scope) =>
      suspend<string>(scope, "gate", (waiter) => {
        log.push(name);
        open.set(name, () => waiter.resolve(name));
      }),
    release(name: string): void {
      open.get(name)?.();
    },
  };
}
