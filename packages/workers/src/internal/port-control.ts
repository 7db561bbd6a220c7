/**
 * A run's control through a port pair of its own (the Web Worker pool's): the worker posts `STARTED`
 * on it when the task begins, the pool posts `ABORT` to abort the worker-side signal.
 */

import type { RunControl } from "./backend.ts";
import { ABORT, onMessage, type RunPort, STARTED, type TaskPayload } from "./protocol.ts";

export class PortControl implements RunControl {
  started = false;
  readonly #port: RunPort;
  readonly #remote: MessagePort;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#remote = port2;
    onMessage(port1, (message) => {
      if (message === STARTED) this.started = true;
    });
  }

  payload(input: unknown, name: string | undefined): TaskPayload {
    return {
      weftTask: 1,
      input,
      port: this.#remote,
      ...(name === undefined ? {} : { name }),
    };
  }

  transfer(extra: readonly Transferable[]): readonly Transferable[] {
    return [this.#remote, ...extra];
  }

  takeBack(): boolean {
    if (this.started) return false;
    this.#port.postMessage(ABORT);
    return true;
  }

  abort(): void {
    this.#port.postMessage(ABORT);
  }

  release(): void {
    this.#port.close();
  }
}
