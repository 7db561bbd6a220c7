/**
 * The Node pool's runs without a port pair each: one table of run states in shared memory for the
 * whole pool (given to every thread as piscina's `workerData`) and one broadcast channel for the
 * rare aborts. A run holds a slot of the table, tagged with the run's id:
 *
 * - `id`: queued (or on its way to a worker); the pool may take it back (`id` → 0).
 * - `-id`: begun; the worker set it when the task began (`id` → `-id`), so only one side wins.
 * - `0`: free, or taken back before it began.
 *
 * Aborts are posted as `{ slot, id }`; the worker running that run (state `-id`) aborts its signal.
 */

import type { RunControl } from "./backend.ts";
import type { TaskControl, TaskPayload } from "./protocol.ts";

/** What the threads get as `workerData.weftRuns`. */
export interface RunTableLink {
  readonly states: SharedArrayBuffer;
  readonly channel: string;
}

/** An abort for the run `id` in `slot`. */
interface AbortMessage {
  readonly slot: number;
  readonly id: number;
}

/** A growable `SharedArrayBuffer` (ES2024; Node ≥ 20), typed here as the project's lib predates it. */
interface GrowableBuffer extends SharedArrayBuffer {
  grow(byteLength: number): void;
}
const GrowableBuffer = SharedArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => GrowableBuffer;

const SLOT_BYTES = Int32Array.BYTES_PER_ELEMENT;
const FIRST_SLOTS = 1024;
/** Most runs one pool holds at once (queued and running): 2²⁴. */
const MOST_SLOTS = 1 << 24;

/** The pool's side of the table. */
export class RunTable {
  readonly link: RunTableLink;
  readonly #states: Int32Array;
  readonly #free: number[] = [];
  #used = 0;
  #lastId = 0;
  #channel: BroadcastChannel | undefined;

  constructor() {
    const states = new GrowableBuffer(FIRST_SLOTS * SLOT_BYTES, {
      maxByteLength: MOST_SLOTS * SLOT_BYTES,
    });
    this.#states = new Int32Array(states);
    this.link = { states, channel: `weft-workers:${crypto.randomUUID()}` };
  }

  /** A control for a new run, in a free slot. */
  control(): RunControl {
    let slot = this.#free.pop();
    if (slot === undefined) {
      if (this.#used === this.#states.length) this.#grow();
      slot = this.#used++;
    }
    this.#lastId = this.#lastId === 0x7fff_ffff ? 1 : this.#lastId + 1;
    Atomics.store(this.#states, slot, this.#lastId);
    return new SlotControl(this, slot, this.#lastId);
  }

  state(slot: number): number {
    return Atomics.load(this.#states, slot);
  }

  takeBack(slot: number, id: number): boolean {
    return Atomics.compareExchange(this.#states, slot, id, 0) === id;
  }

  abort(slot: number, id: number): void {
    if (this.#channel === undefined) {
      this.#channel = new BroadcastChannel(this.link.channel);
      (this.#channel as { unref?: () => void }).unref?.();
    }
    this.#channel.postMessage({ slot, id } satisfies AbortMessage);
  }

  release(slot: number): void {
    Atomics.store(this.#states, slot, 0);
    this.#free.push(slot);
  }

  close(): void {
    this.#channel?.close();
    this.#channel = undefined;
  }

  #grow(): void {
    const buffer = this.#states.buffer as GrowableBuffer;
    if (this.#used >= MOST_SLOTS) {
      throw new RangeError(`A worker pool holds at most ${MOST_SLOTS} runs at once`);
    }
    buffer.grow(Math.min(this.#used * 2, MOST_SLOTS) * SLOT_BYTES);
  }
}

/** One run's control in a {@link RunTable}. */
class SlotControl implements RunControl {
  readonly #table: RunTable;
  readonly #slot: number;
  readonly #id: number;

  constructor(table: RunTable, slot: number, id: number) {
    this.#table = table;
    this.#slot = slot;
    this.#id = id;
  }

  payload(input: unknown, _name: string | undefined): TaskPayload {
    // piscina calls the export named in its own run options.
    return { weftTask: 1, input, slot: this.#slot, id: this.#id };
  }

  transfer(extra: readonly Transferable[]): readonly Transferable[] {
    return extra;
  }

  get started(): boolean {
    return this.#table.state(this.#slot) === -this.#id;
  }

  takeBack(): boolean {
    return this.#table.takeBack(this.#slot, this.#id);
  }

  abort(): void {
    this.#table.abort(this.#slot, this.#id);
  }

  release(): void {
    this.#table.release(this.#slot);
  }
}

/** A thread's side of its pool's table: the state of each run, and the runs it has begun. */
export class ThreadRunTable {
  readonly #states: Int32Array;
  readonly #running = new Map<number, ThreadRun>();
  readonly #channel: BroadcastChannel;

  constructor(link: RunTableLink) {
    this.#states = new Int32Array(link.states);
    this.#channel = new BroadcastChannel(link.channel);
    this.#channel.onmessage = (event: MessageEvent) => {
      const { slot, id } = event.data as AbortMessage;
      const run = this.#running.get(slot);
      if (run !== undefined && run.id === id) run.aborted();
    };
    // The thread lives as long as its pool keeps it, not as long as the channel is open.
    (this.#channel as { unref?: () => void }).unref?.();
  }

  /** The control of the run in `payload` (which names its slot and id). */
  control(payload: TaskPayload): TaskControl {
    return new ThreadRun(this.#states, this.#running, payload.slot ?? -1, payload.id ?? 0);
  }
}

class ThreadRun implements TaskControl {
  readonly id: number;
  readonly #states: Int32Array;
  readonly #running: Map<number, ThreadRun>;
  readonly #slot: number;
  #listener: (() => void) | undefined = undefined;

  constructor(states: Int32Array, running: Map<number, ThreadRun>, slot: number, id: number) {
    this.#states = states;
    this.#running = running;
    this.#slot = slot;
    this.id = id;
  }

  begin(): boolean {
    if (Atomics.compareExchange(this.#states, this.#slot, this.id, -this.id) !== this.id) {
      return false;
    }
    this.#running.set(this.#slot, this);
    return true;
  }

  onAbort(listener: () => void): void {
    this.#listener = listener;
  }

  aborted(): void {
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.();
  }

  end(): void {
    this.#listener = undefined;
    if (this.#running.get(this.#slot) === this) this.#running.delete(this.#slot);
  }
}
