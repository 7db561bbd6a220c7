import { Channel } from "@weft/channels";
import {
  CancelledError,
  failAfter,
  Lock,
  moveOnAfter,
  type Scope,
  TaskGroupError,
  TimeoutError,
  taskGroup,
} from "@weft/core";
import { DeadlockError, fakeTime } from "@weft/testing";
import { sleep } from "@weft/timers";

/**
 * A small concurrent program: statements run in order, each after its own `delay`.
 *
 * - `log`: records `[now, label]`.
 * - `throw`: throws a `ProgramError(label)`.
 * - `group`: a task group; each of `children` is spawned, then `body` runs as the group's body.
 * - `moveOn` / `fail`: `moveOnAfter` / `failAfter` of `timeout` around `body`.
 * - `lock`: each of `holders` is a task that waits its `delay`, then holds a new `Lock` for `hold`
 *   and logs `label#index` just before it lets go.
 * - `pipe`: a channel of `capacity` between a producer (it sends 0, 1, … after each of
 *   `sends`' delays) and a consumer (it receives after each of `receives`' delays and logs
 *   `label<value`). More receives than sends, or sends the buffer cannot hold, block forever.
 *
 * Every delay and timeout is a distinct power of two, so no two events of a program can fall on the
 * same instant: its outcome is fixed by time alone, and the reference below can compute it.
 */
export type Statement =
  | { readonly kind: "log"; readonly delay: number; readonly label: string }
  | { readonly kind: "throw"; readonly delay: number; readonly label: string }
  | {
      readonly kind: "group";
      readonly delay: number;
      readonly children: readonly Program[];
      readonly body: Program;
    }
  | {
      readonly kind: "moveOn" | "fail";
      readonly delay: number;
      readonly timeout: number;
      readonly body: Program;
    }
  | {
      readonly kind: "lock";
      readonly delay: number;
      readonly label: string;
      readonly holders: readonly Holder[];
    }
  | {
      readonly kind: "pipe";
      readonly delay: number;
      readonly label: string;
      readonly capacity: number;
      readonly sends: readonly number[];
      readonly receives: readonly number[];
    };

export type Program = readonly Statement[];

/** One task of a `lock` statement. */
export interface Holder {
  readonly delay: number;
  readonly hold: number;
}

/** What a program did: its log in time order, and how it ended. */
export interface Outcome {
  readonly log: readonly (readonly [number, string])[];
  /** `"ok"`, `"deadlock"`, or the error it threw, described by {@link describeError}. */
  readonly end: unknown;
}

/** The error a `throw` statement throws. */
export class ProgramError extends Error {
  readonly label: string;
  constructor(label: string) {
    super(`program error ${label}`);
    this.name = "ProgramError";
    this.label = label;
  }
}

/** An error as plain data: `{ error: label }`, `{ group: [...] }`, `"timeout"`, `"cancelled"`. */
export function describeError(error: unknown): unknown {
  if (error instanceof ProgramError) return { error: error.label };
  if (TaskGroupError.is(error)) return { group: error.errors.map(describeError) };
  if (TimeoutError.is(error)) return "timeout";
  if (DeadlockError.is(error)) return "deadlock";
  if (CancelledError.is(error)) return "cancelled";
  return { unexpected: String(error) };
}

type Log = [number, string][];

async function execute(program: Program, scope: Scope, log: Log): Promise<void> {
  for (const statement of program) {
    await sleep(statement.delay, scope);
    switch (statement.kind) {
      case "log":
        log.push([scope.clock.now(), statement.label]);
        break;
      case "throw":
        throw new ProgramError(statement.label);
      case "group":
        await taskGroup(scope, async (group) => {
          for (const child of statement.children) group.spawn((s) => execute(child, s, log));
          await execute(statement.body, group.scope, log);
        });
        break;
      case "moveOn":
        await moveOnAfter(scope, statement.timeout, (s) => execute(statement.body, s, log));
        break;
      case "fail":
        await failAfter(scope, statement.timeout, (s) => execute(statement.body, s, log));
        break;
      case "lock": {
        const lock = new Lock();
        await taskGroup(scope, async (group) => {
          for (const [index, holder] of statement.holders.entries()) {
            group.spawn(async (s) => {
              await sleep(holder.delay, s);
              await lock.withLock(s, async () => {
                await sleep(holder.hold, s);
                log.push([s.clock.now(), `${statement.label}#${index}`]);
              });
            });
          }
        });
        break;
      }
      case "pipe": {
        const channel = new Channel<number>(statement.capacity);
        await taskGroup(scope, async (group) => {
          group.spawn(async (s) => {
            for (const [value, delay] of statement.sends.entries()) {
              await sleep(delay, s);
              await channel.send(value, s);
            }
          });
          for (const delay of statement.receives) {
            await sleep(delay, group.scope);
            const value = await channel.receive(group.scope);
            log.push([scope.clock.now(), `${statement.label}<${value}`]);
          }
        });
        break;
      }
    }
  }
}

/** Runs `program` with Weft under the fake-time harness (autojump) with the harness's `seed`. */
export async function runWithWeft(program: Program, seed: number): Promise<Outcome> {
  const log: Log = [];
  const end = await fakeTime(({ scope }) => execute(program, scope, log), { seed }).then(
    () => "ok",
    (error: unknown) => describeError(error),
  );
  return { log: log.sort((a, b) => a[0] - b[0]), end };
}

// The reference interpreter: a discrete-event computation of the same semantics, with no Weft in
// it. A task's result is when and how it ended; `cancelAt` is when an enclosing scope is cancelled
// (Infinity: never). As no two events share an instant, an event happens iff it comes before
// `cancelAt`, and a scope's deadline or a group's first failure simply lowers `cancelAt`.

type Result =
  | { readonly kind: "ok"; readonly time: number }
  | { readonly kind: "hang" }
  | { readonly kind: "cancelled"; readonly time: number }
  | { readonly kind: "threw"; readonly time: number; readonly error: unknown };

function referenceRun(program: Program, start: number, cancelAt: number, log: Log): Result {
  let time = start;
  for (const statement of program) {
    time += statement.delay;
    if (time >= cancelAt) return { kind: "cancelled", time: cancelAt };
    switch (statement.kind) {
      case "log":
        log.push([time, statement.label]);
        break;
      case "throw":
        return { kind: "threw", time, error: { error: statement.label } };
      case "group": {
        const result = referenceGroup(statement.children, statement.body, time, cancelAt, log);
        if (result.kind !== "ok") return result;
        time = result.time;
        break;
      }
      case "moveOn":
      case "fail": {
        const deadline = time + statement.timeout;
        const inner = referenceRun(statement.body, time, Math.min(cancelAt, deadline), log);
        if (inner.kind === "cancelled" && deadline < cancelAt) {
          // This scope's own deadline: it absorbs the cancellation.
          if (statement.kind === "fail") return { kind: "threw", time: deadline, error: "timeout" };
          time = deadline;
        } else if (inner.kind !== "ok") return inner;
        else time = inner.time;
        break;
      }
      case "lock": {
        const result = referenceLock(statement, time, cancelAt, log);
        if (result.kind !== "ok") return result;
        time = result.time;
        break;
      }
      case "pipe": {
        const result = referencePipe(statement, time, cancelAt, log);
        if (result.kind !== "ok") return result;
        time = result.time;
        break;
      }
    }
  }
  return { kind: "ok", time };
}

function referenceGroup(
  children: readonly Program[],
  body: Program,
  start: number,
  cancelAt: number,
  log: Log,
): Result {
  const attempt = (until: number, into: Log): Result[] =>
    [...children, body].map((program) => referenceRun(program, start, until, into));
  const scratch: Log = [];
  const first = attempt(cancelAt, scratch);
  const failures = first.filter((result) => result.kind === "threw");
  if (failures.length > 0) {
    // The first failure cancels the group at its instant; nothing later happens in it.
    const failure = failures.reduce((a, b) => (b.time < a.time ? b : a));
    attempt(failure.time, log);
    return { kind: "threw", time: failure.time, error: { group: [failure.error] } };
  }
  log.push(...scratch);
  if (first.some((result) => result.kind === "cancelled"))
    return { kind: "cancelled", time: cancelAt };
  if (first.some((result) => result.kind === "hang")) return { kind: "hang" };
  const times = first.map((result) => (result.kind === "ok" ? result.time : start));
  return { kind: "ok", time: Math.max(start, ...times) };
}

function referenceLock(
  statement: Extract<Statement, { kind: "lock" }>,
  start: number,
  cancelAt: number,
  log: Log,
): Result {
  // FIFO: the holders take the lock in the order they asked for it, each once the last let go.
  const order = statement.holders
    .map((holder, index) => ({ index, asked: start + holder.delay, hold: holder.hold }))
    .sort((a, b) => a.asked - b.asked);
  let free = start;
  for (const { index, asked, hold } of order) {
    free = Math.max(asked, free) + hold;
    if (free < cancelAt) log.push([free, `${statement.label}#${index}`]);
  }
  if (free >= cancelAt) return { kind: "cancelled", time: cancelAt };
  return { kind: "ok", time: free };
}

function referencePipe(
  pipe: Extract<Statement, { kind: "pipe" }>,
  start: number,
  cancelAt: number,
  log: Log,
): Result {
  const { sends, receives, capacity } = pipe;
  // sent[i]: when send i completed; received[j]: when receive j completed (Infinity: never).
  const sent: number[] = [];
  const received: number[] = [];
  const count = Math.max(sends.length, receives.length);
  for (let k = 0; k < count; k++) {
    const sendReady = k < sends.length ? (sent[k - 1] ?? start) + (sends[k] as number) : Infinity;
    const receiveReady =
      k < receives.length ? (received[k - 1] ?? start) + (receives[k] as number) : Infinity;
    if (capacity === 0) {
      const handoff = Math.max(sendReady, receiveReady);
      if (k < sends.length) sent[k] = handoff;
      if (k < receives.length) received[k] = handoff;
    } else {
      if (k < sends.length) {
        const room = k - capacity < 0 ? -Infinity : (received[k - capacity] ?? Infinity);
        sent[k] = Math.max(sendReady, room);
      }
      if (k < receives.length) received[k] = Math.max(receiveReady, sent[k] ?? Infinity);
    }
  }
  for (const [value, time] of received.entries()) {
    if (time < cancelAt) log.push([time, `${pipe.label}<${value}`]);
  }
  const end = Math.max(start, ...sent, ...received);
  if (end === Infinity && cancelAt === Infinity) return { kind: "hang" };
  if (end >= cancelAt) return { kind: "cancelled", time: cancelAt };
  return { kind: "ok", time: end };
}

/** What `program` must do, computed without Weft. */
export function runReference(program: Program): Outcome {
  const log: Log = [];
  const result = referenceRun(program, 0, Infinity, log);
  const end =
    result.kind === "ok"
      ? "ok"
      : result.kind === "hang"
        ? "deadlock"
        : result.kind === "threw"
          ? result.error
          : "cancelled";
  return { log: log.sort((a, b) => a[0] - b[0]), end };
}
