import { onNextTurn } from "./macrotask.ts";

/**
 * The real clock's timers, behind one platform timer: a binary heap by due time (ties by
 * registration), and a single `setTimeout` armed for the earliest entry. A heap of its own rather
 * than internal/priority-queue.ts: cancelled entries leave it lazily, and it orders by time.
 *
 * Arming is lazy: a new entry re-arms the platform timer only when it is due before the armed time,
 * and a cancelled entry stays in the heap, marked, until it reaches the top (so a cancellation
 * costs no `clearTimeout`). When no entry is live any more, the platform timer is cleared and the
 * heap emptied at once, so that nothing is left pending once the last timer is cancelled. The
 * platform timer holds the process only while some live entry is ref'd.
 *
 * Entries due together fire one per macrotask turn, in registration order, so that the
 * microtasks of one callback run before the next callback, as with separate platform timers.
 */

const MAX_TIMEOUT = 2_147_483_647;

type PlatformTimer = ReturnType<typeof setTimeout>;

/** One scheduled callback; its `cancel` and `unref` are the {@link TimerHandle}'s. */
export class SystemTimer {
  readonly time: number;
  readonly order: number;
  callback: (() => void) | undefined;
  refed = true;

  constructor(time: number, order: number, callback: () => void) {
    this.time = time;
    this.order = order;
    this.callback = callback;
  }

  cancel(): void {
    if (this.callback === undefined) return;
    this.callback = undefined;
    drop(this);
  }

  unref(): void {
    if (!this.refed) return;
    this.refed = false;
    if (this.callback !== undefined) unrefOne();
  }
}

const heap: SystemTimer[] = [];
let live = 0;
let refedLive = 0;
let nextOrder = 0;
let platform: PlatformTimer | undefined;
/** The time the platform timer is armed for; `Infinity` when none is. */
let armedFor = Number.POSITIVE_INFINITY;
/** Whether a macrotask turn is queued to fire entries that were due together. */
let turnQueued = false;
/** Whether a macrotask turn is queued to arm the platform timer for deferred entries. */
let armQueued = false;

/**
 * Schedules `callback` at `time` (finite) on `performance.now()`'s clock.
 *
 * With `deferArm`, a platform timer that this entry needs is armed only on the next macrotask
 * turn, if the entry is still live then: a scope's deadline usually outlives no turn (the body
 * finishes in microtasks), and then it never costs a platform timer at all. The arming turn does
 * not hold the process beyond that turn, and the entry still fires at its time.
 */
export function addSystemTimer(time: number, callback: () => void, deferArm = false): SystemTimer {
  const timer = new SystemTimer(time, nextOrder++, callback);
  // Cancelled entries wait in the heap; it is rebuilt when they are most of it. Not on cancelling,
  // so that cancelling many timers at once costs no rebuilds: the last one empties the heap anyway.
  if (heap.length > 64 && heap.length > 2 * live) compact();
  push(timer);
  live++;
  if (refedLive++ === 0 && platform !== undefined) refPlatform(true);
  if (time < armedFor && !turnQueued) {
    if (!deferArm) arm(time);
    else if (!armQueued) {
      armQueued = true;
      onNextTurn(onArmTurn);
    }
  }
  return timer;
}

/** The turn after deferred entries were added: arms the platform timer if one is still needed. */
function onArmTurn(): void {
  armQueued = false;
  if (live === 0 || turnQueued) return;
  while ((heap[0] as SystemTimer).callback === undefined) pop();
  if ((heap[0] as SystemTimer).time >= armedFor) return;
  disarm();
  fireNext();
}

function drop(timer: SystemTimer): void {
  live--;
  if (live === 0) {
    // One entry, the usual case, is popped: setting `length` is a much slower call.
    if (heap.length === 1) heap.pop();
    else heap.length = 0;
    refedLive = 0;
    disarm();
    return;
  }
  if (timer.refed) unrefOne();
}

function unrefOne(): void {
  if (--refedLive === 0 && platform !== undefined) refPlatform(false);
}

function refPlatform(refed: boolean): void {
  const timer = platform as { ref?: () => void; unref?: () => void } | number | undefined;
  if (typeof timer !== "object") return;
  if (refed) timer.ref?.();
  else timer.unref?.();
}

function disarm(): void {
  if (platform !== undefined) {
    clearTimeout(platform);
    platform = undefined;
  }
  armedFor = Number.POSITIVE_INFINITY;
}

function arm(time: number): void {
  if (platform !== undefined) clearTimeout(platform);
  armedFor = time;
  // Whole milliseconds: Node keeps one list of timers per distinct delay, so that fractional delays
  // would each cost a new list (measured: a seventh of the time of a `failAfter`). A timer that
  // the platform still fires early is re-armed.
  const delay = Math.ceil(time - performance.now());
  platform = setTimeout(onPlatformTimer, Math.min(MAX_TIMEOUT, Math.max(0, delay)));
  if (refedLive === 0) refPlatform(false);
}

function onPlatformTimer(): void {
  platform = undefined;
  armedFor = Number.POSITIVE_INFINITY;
  fireNext();
}

function onTurn(): void {
  turnQueued = false;
  fireNext();
}

/** Fires the earliest entry if it is due, and arranges for the next one. */
function fireNext(): void {
  while (heap.length > 0 && (heap[0] as SystemTimer).callback === undefined) pop();
  const first = heap[0];
  if (first === undefined) return;
  // setTimeout works in whole milliseconds and may fire a fraction early; wait out the rest so
  // that a callback never observes `now()` before its own time.
  const now = performance.now();
  if (first.time > now) {
    arm(first.time);
    return;
  }
  pop();
  const callback = first.callback as () => void;
  first.callback = undefined;
  live--;
  if (first.refed) refedLive--;
  // Arranged before the callback runs, so that a callback that throws stops nothing else.
  while (heap.length > 0 && (heap[0] as SystemTimer).callback === undefined) pop();
  const next = heap[0];
  if (next !== undefined) {
    if (next.time <= now) {
      turnQueued = true;
      onNextTurn(onTurn);
    } else arm(next.time);
  }
  callback();
}

function precedes(a: SystemTimer, b: SystemTimer): boolean {
  return a.time < b.time || (a.time === b.time && a.order < b.order);
}

function push(timer: SystemTimer): void {
  let index = heap.length;
  heap.push(timer);
  while (index > 0) {
    const parentIndex = (index - 1) >> 1;
    const parent = heap[parentIndex] as SystemTimer;
    if (!precedes(timer, parent)) break;
    heap[index] = parent;
    index = parentIndex;
  }
  heap[index] = timer;
}

function pop(): void {
  const last = heap.pop() as SystemTimer;
  if (heap.length > 0) sift(last, 0);
}

function sift(timer: SystemTimer, start: number): void {
  const length = heap.length;
  let index = start;
  for (;;) {
    let child = 2 * index + 1;
    if (child >= length) break;
    const right = child + 1;
    if (right < length && precedes(heap[right] as SystemTimer, heap[child] as SystemTimer)) {
      child = right;
    }
    const smaller = heap[child] as SystemTimer;
    if (!precedes(smaller, timer)) break;
    heap[index] = smaller;
    index = child;
  }
  heap[index] = timer;
}

function compact(): void {
  let kept = 0;
  for (const timer of heap) if (timer.callback !== undefined) heap[kept++] = timer;
  heap.length = kept;
  for (let index = (kept >> 1) - 1; index >= 0; index--) sift(heap[index] as SystemTimer, index);
}
