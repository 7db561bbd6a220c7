import { suspend, type Waiter, type WaitOptions } from "@weft/core";
import {
  assertOptionalBoolean,
  assertOptions,
  assertWaitTarget,
  shuffleOf,
  typeError,
} from "@weft/core/internal";
import { type Channel, channelCore } from "./channel.ts";
import { ChannelClosedError } from "./errors.ts";
import type { ChannelCore, ReceiveEntry, SendEntry } from "./internal/channel-core.ts";
import {
  isSelectCase,
  type SelectCases,
  type SelectOptions,
  type SelectResult,
} from "./select-cases.ts";

interface Prepared {
  readonly key: string;
  readonly kind: "receive" | "send";
  readonly core: ChannelCore<unknown>;
  readonly value: unknown;
}

function prepare(cases: unknown, options: unknown, scope?: unknown): Prepared[] {
  if (typeof cases !== "object" || cases === null) throw typeError("cases", "an object", cases);
  assertOptions(options, "options");
  const biased = (options as SelectOptions | undefined)?.biased;
  assertOptionalBoolean(biased, "options.biased");
  const prepared: Prepared[] = [];
  for (const key of Object.keys(cases)) {
    const item: unknown = (cases as Record<string, unknown>)[key];
    if (!isSelectCase(item)) {
      throw typeError(`cases.${key}`, "a case made by onReceive or onSend", item);
    }
    prepared.push({
      key,
      kind: item.kind,
      core: channelCore(item.channel as Channel<unknown>),
      value: item.kind === "send" ? item.value : undefined,
    });
  }
  if (prepared.length === 0) throw typeError("cases", "an object with at least one case", cases);
  if (biased !== true) {
    // Under a seeded harness the run's shuffle makes the choice replayable.
    const shuffle = shuffleOf(scope);
    if (shuffle !== undefined) {
      shuffle(prepared);
      return prepared;
    }
    for (let i = prepared.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [prepared[i], prepared[j]] = [prepared[j] as Prepared, prepared[i] as Prepared];
    }
  }
  return prepared;
}

type Attempt = { readonly key: string; readonly value: unknown } | { readonly error: unknown };

/**
 * Tries the cases in order; the first ready one commits through `commit`. Returns `undefined` when
 * none was ready (or the caller's wait had ended).
 */
function attempt(
  prepared: readonly Prepared[],
  commit: (key: string, value: unknown) => boolean,
  settled: () => boolean,
): Attempt | undefined {
  for (const entry of prepared) {
    if (settled()) return undefined;
    const { core, key } = entry;
    if (entry.kind === "send") {
      if (!core.canSend()) continue;
      const outcome = core.send(entry.value, { resolve: () => commit(key, undefined) });
      if (outcome === "closed") return { error: new ChannelClosedError() };
      if (outcome === "sent") return { key, value: undefined };
    } else {
      if (!core.canReceive()) continue;
      const taken = core.receive({ resolve: (value) => commit(key, value) });
      if (taken === "closed") return { error: core.closeError() };
      if (taken.ok) return { key, value: taken.value };
    }
  }
  return undefined;
}

/**
 * Waits until one of `cases` can proceed and commits exactly that one (Go's `select`, trio-style):
 * the other cases transfer nothing. When several are ready, the choice is fair and random, or the
 * first in key order with `biased: true`.
 *
 * A checkpoint: with a cancelled scope it rejects at once. Cancelled while waiting, it rejects with
 * the scope's `CancelledError` (or the signal's reason) and no case commits.
 *
 * @param scope - A scope or `{ signal }` (required: a forgotten one would make a wait that
 *   nothing cancels).
 * @param cases - The cases by key, made by {@link onReceive} and {@link onSend}.
 * @param options - `biased`.
 * @returns The key of the committed case and its value (the item received; `undefined` for a send).
 * @throws The close error of a closed channel whose case is chosen (`ChannelClosedError`, or the
 *   error given to `close` for a drained receive case); `TypeError` (synchronously) for a missing
 *   scope, bad cases or options.
 * @example
 * ```ts
 * import { run } from "@weft/core";
 * import { Channel, onReceive, select } from "@weft/channels";
 *
 * const numbers = new Channel<number>(1);
 * const words = new Channel<string>(1);
 * words.trySend("hello");
 * const result = await run((scope) =>
 *   select(scope, { number: onReceive(numbers), word: onReceive(words) }),
 * );
 * console.log(result); // { key: 'word', value: 'hello' }
 * ```
 */
export function select<C extends SelectCases>(
  scope: WaitOptions,
  cases: C,
  options?: SelectOptions,
): Promise<SelectResult<C>> {
  assertWaitTarget(scope, "scope");
  const prepared = prepare(cases, options, scope);
  return suspend<SelectResult<C>>(scope, "select", (waiter) => {
    const now = attempt(
      prepared,
      (key, value) => waiter.resolve({ key, value } as SelectResult<C>),
      () => waiter.settled,
    );
    if (now !== undefined) {
      if ("error" in now) waiter.reject(now.error);
      return undefined;
    }
    if (waiter.settled) return undefined;
    return park(prepared, waiter);
  });
}

/** Registers an entry with every case's channel; the first to commit removes the others. */
function park<R>(prepared: readonly Prepared[], waiter: Waiter<R>): () => void {
  const registered: Array<() => void> = [];
  let done = false;
  const cleanup = (): void => {
    done = true;
    for (const unregister of registered) unregister();
    registered.length = 0;
  };
  const fail = (error: unknown): void => {
    if (done) return;
    cleanup();
    waiter.reject(error);
  };
  /** Commits case `key` with `value`, unless the select has ended; then removes the other cases. */
  const commit = (key: string, value: unknown): boolean => {
    if (done || !waiter.resolve({ key, value } as R)) return false;
    cleanup();
    return true;
  };
  for (const { core, key, kind, value } of prepared) {
    if (kind === "send") {
      const entry: SendEntry<unknown> = { value, commit: () => commit(key, undefined), fail };
      const place = core.senders.push(entry);
      registered.push(() => core.senders.remove(place));
    } else {
      const entry: ReceiveEntry<unknown> = { commit: (item) => commit(key, item), fail };
      const place = core.receivers.push(entry);
      registered.push(() => core.receivers.remove(place));
    }
  }
  return cleanup;
}

/**
 * Commits a ready case now, as {@link select} would, or returns `undefined` when none is ready
 * (Go's `select` with a `default`); never blocks.
 * @param cases - The cases by key, made by {@link onReceive} and {@link onSend}.
 * @param options - `biased`.
 * @returns The key and value of the committed case, or `undefined`.
 * @throws The close error of a closed channel whose case is chosen; `TypeError` for bad cases or
 *   options.
 * @example
 * ```ts
 * import { Channel, onReceive, trySelect } from "@weft/channels";
 *
 * const channel = new Channel<number>(1);
 * console.log(trySelect({ n: onReceive(channel) })); // undefined
 * ```
 */
export function trySelect<C extends SelectCases>(
  cases: C,
  options?: SelectOptions,
): SelectResult<C> | undefined {
  const prepared = prepare(cases, options);
  const now = attempt(
    prepared,
    () => true,
    () => false,
  );
  if (now === undefined) return undefined;
  if ("error" in now) throw now.error;
  return now as SelectResult<C>;
}
