/**
 * The browser backend of a {@link WorkerPool}: a small pool of module Web Workers with a FIFO queue,
 * `minThreads`/`maxThreads`, `idleTimeout` and `maxQueue` as on piscina. Aborting a run's signal
 * drops it from the queue, or terminates its worker and starts another.
 */

import type { Clock, TimerHandle } from "@weft/core";
import type { BackendRunOptions, PoolBackend, RunControl, Terminator } from "./backend.ts";
import { PortControl } from "./port-control.ts";
import { READY, type TaskPayload } from "./protocol.ts";

/** The part of the DOM's `Worker` the pool uses. */
export interface WebWorker {
  postMessage(message: unknown, transfer: Transferable[]): void;
  terminate(): void;
  addEventListener(
    type: "message" | "messageerror" | "error",
    listener: (event: Event) => void,
  ): void;
}

/** Makes a module worker for `url` (the DOM's `new Worker(url, { type: "module" })`). */
export type WebWorkerFactory = (url: URL) => WebWorker;

/** The pool's limits, already checked. */
export interface WebWorkerLimits {
  readonly minThreads: number;
  readonly maxThreads: number;
  /** ms an idle worker above `minThreads` lives; `Infinity`: until the pool is closed. */
  readonly idleTimeout: number;
  /** Most runs waiting for a worker. */
  readonly maxQueue: number;
  /** The clock of `idleTimeout` (the pool's scope's). */
  readonly clock: Clock;
}

interface Job {
  readonly payload: TaskPayload;
  readonly transfer: readonly Transferable[];
  readonly signal: Terminator | undefined;
  readonly resolve: (outcome: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onAbort: () => void;
  slot: Slot | undefined;
}

interface Slot {
  readonly worker: WebWorker;
  /** The worker file has loaded and its tasks listen (it posted `READY`). */
  ready: boolean;
  job: Job | undefined;
  idleTimer: TimerHandle | undefined;
}

/** What an `error` event on a worker says, as an `Error`. */
function workerFailure(event: Event, url: URL): Error {
  const message = (event as Partial<ErrorEvent>).message;
  return new Error(
    typeof message === "string" && message.length > 0
      ? message
      : `The worker ${url.href} failed to load or threw outside its task`,
  );
}

/** A pool of module Web Workers for one worker file. */
export class WebWorkerPool implements PoolBackend {
  readonly #url: URL;
  readonly #limits: WebWorkerLimits;
  readonly #create: WebWorkerFactory;
  readonly #slots = new Set<Slot>();
  readonly #queue: Job[] = [];
  #destroyed = false;

  constructor(url: URL, limits: WebWorkerLimits, create: WebWorkerFactory) {
    this.#url = url;
    this.#limits = limits;
    this.#create = create;
    while (this.#slots.size < limits.minThreads) this.#spawn();
  }

  get threads(): number {
    return this.#slots.size;
  }

  control(): RunControl {
    return new PortControl();
  }

  run(payload: TaskPayload, { transfer, terminate: signal }: BackendRunOptions): Promise<unknown> {
    if (this.#destroyed) return Promise.reject(new Error("The worker pool is closed"));
    return new Promise<unknown>((resolve, reject) => {
      const job: Job = {
        payload,
        transfer,
        signal,
        resolve,
        reject,
        onAbort: () => this.#abort(job),
        slot: undefined,
      };
      if (this.#queue.length >= this.#freeCapacity() + this.#limits.maxQueue) {
        reject(new Error(`The worker pool's queue is full (maxQueue: ${this.#limits.maxQueue})`));
        return;
      }
      signal?.addEventListener("abort", job.onAbort, { once: true });
      this.#queue.push(job);
      this.#drain();
    });
  }

  destroy(): Promise<void> {
    this.#destroyed = true;
    const closed = new Error("The worker pool is closed");
    for (const job of this.#queue.splice(0)) this.#detach(job).reject(closed);
    for (const slot of [...this.#slots]) {
      this.#remove(slot);
      if (slot.job !== undefined) this.#detach(slot.job).reject(closed);
    }
    return Promise.resolve();
  }

  /** Workers that could take a run now: idle ones and those not yet started. */
  #freeCapacity(): number {
    let idle = 0;
    for (const slot of this.#slots) if (slot.job === undefined) idle++;
    return idle + this.#limits.maxThreads - this.#slots.size;
  }

  /** Hands queued runs to idle workers, starting workers up to `maxThreads`. */
  #drain(): void {
    while (this.#queue.length > 0) {
      let slot: Slot | undefined;
      for (const candidate of this.#slots) {
        if (candidate.job === undefined) {
          slot = candidate;
          break;
        }
      }
      if (slot === undefined && this.#slots.size < this.#limits.maxThreads) slot = this.#spawn();
      const job = slot === undefined ? undefined : this.#queue.shift();
      if (slot === undefined || job === undefined) return;
      slot.idleTimer?.cancel();
      slot.idleTimer = undefined;
      slot.job = job;
      job.slot = slot;
      if (slot.ready) this.#post(slot, job);
    }
  }

  #post(slot: Slot, job: Job): void {
    try {
      slot.worker.postMessage(job.payload, [...job.transfer]);
    } catch (error) {
      // The input could not be cloned: only this run fails; the worker is fine.
      this.#detach(job).reject(error);
      this.#release(slot);
    }
  }

  #spawn(): Slot {
    const worker = this.#create(this.#url);
    const slot: Slot = { worker, ready: false, job: undefined, idleTimer: undefined };
    worker.addEventListener("message", (event) =>
      this.#onMessage(slot, (event as MessageEvent).data),
    );
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.#crash(slot, workerFailure(event, this.#url));
    });
    worker.addEventListener("messageerror", () =>
      this.#crash(slot, new Error("A message from the worker could not be deserialised")),
    );
    this.#slots.add(slot);
    return slot;
  }

  #onMessage(slot: Slot, data: unknown): void {
    if (!this.#slots.has(slot)) return;
    if (data === READY) {
      slot.ready = true;
      if (slot.job !== undefined) this.#post(slot, slot.job);
      return;
    }
    const job = slot.job;
    if (job === undefined) return;
    this.#detach(job).resolve(data);
    this.#release(slot);
  }

  /** `slot` finished its run: it takes the next queued one, or idles (and ends after `idleTimeout`). */
  #release(slot: Slot): void {
    slot.job = undefined;
    if (this.#queue.length > 0) {
      this.#drain();
      return;
    }
    const { minThreads, idleTimeout, clock } = this.#limits;
    if (this.#slots.size <= minThreads || idleTimeout === Number.POSITIVE_INFINITY) return;
    slot.idleTimer = clock.setTimer(clock.now() + idleTimeout, () => {
      slot.idleTimer = undefined;
      if (slot.job === undefined && this.#slots.size > minThreads) this.#remove(slot);
    });
  }

  /** The worker failed (a load error, a throw outside its task): its run fails, it is replaced. */
  #crash(slot: Slot, error: Error): void {
    if (!this.#slots.has(slot)) return;
    this.#remove(slot);
    const job = slot.job;
    slot.job = undefined;
    if (job !== undefined) this.#detach(job).reject(error);
    // A worker that never loaded is not replaced at once: its file would fail again in a loop.
    if (slot.ready) this.#refill();
    else this.#drain();
  }

  /** The run's signal aborted: drop it if queued, else terminate its worker and start another. */
  #abort(job: Job): void {
    const slot = job.slot;
    this.#detach(job);
    if (slot === undefined) {
      const index = this.#queue.indexOf(job);
      if (index >= 0) this.#queue.splice(index, 1);
    } else {
      slot.job = undefined;
      this.#remove(slot);
      this.#refill();
    }
    job.reject(job.signal?.reason);
  }

  #refill(): void {
    if (this.#destroyed) return;
    while (this.#slots.size < this.#limits.minThreads) this.#spawn();
    this.#drain();
  }

  #remove(slot: Slot): void {
    slot.idleTimer?.cancel();
    slot.idleTimer = undefined;
    slot.worker.terminate();
    this.#slots.delete(slot);
  }

  #detach(job: Job): Job {
    job.signal?.removeEventListener("abort", job.onAbort);
    job.slot = undefined;
    return job;
  }
}
