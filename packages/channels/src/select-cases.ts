import { typeError } from "@weft/core/internal";
import { type Channel, isChannel } from "./channel.ts";

const CASE = Symbol("weft.SelectCase");

/**
 * A select case that receives from `channel`; made by {@link onReceive}.
 * @example
 * ```ts
 * import { Channel, onReceive, type ReceiveCase } from "@weft/channels";
 *
 * const numbers = new Channel<number>(1);
 * const when: ReceiveCase<number> = onReceive(numbers);
 * console.log(when.kind, when.channel === numbers); // receive true
 * ```
 */
export interface ReceiveCase<T> {
  readonly kind: "receive";
  readonly channel: Channel<T>;
}

/**
 * A select case that sends `value` to `channel`; made by {@link onSend}.
 * @example
 * ```ts
 * import { Channel, onSend, type SendCase } from "@weft/channels";
 *
 * const words = new Channel<string>(1);
 * const when: SendCase<string> = onSend(words, "hi");
 * console.log(when.kind, when.value); // send hi
 * ```
 */
export interface SendCase<T> {
  readonly kind: "send";
  readonly channel: Channel<T>;
  readonly value: T;
}

/**
 * Any select case.
 * @example
 * ```ts
 * import { Channel, onReceive, onSend, type SelectCase } from "@weft/channels";
 *
 * const channel = new Channel<number>(1);
 * const cases: SelectCase[] = [onSend(channel, 1), onReceive(channel)];
 * console.log(cases.map((c) => c.kind)); // [ 'send', 'receive' ]
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: a case of any item type
export type SelectCase = ReceiveCase<any> | SendCase<any>;

/**
 * The cases of a {@link select}, by key.
 * @example
 * ```ts
 * import { Channel, onReceive, type SelectCases, trySelect } from "@weft/channels";
 *
 * const jobs = new Channel<string>(1);
 * jobs.trySend("build");
 * const cases: SelectCases = { job: onReceive(jobs) };
 * console.log(trySelect(cases)); // { key: 'job', value: 'build' }
 * ```
 */
export type SelectCases = Readonly<Record<string, SelectCase>>;

/**
 * The outcome of a {@link select}: the key of the case that committed, with the received item (a
 * receive case) or `undefined` (a send case).
 * @example
 * ```ts
 * import { Channel, onReceive, onSend, type SelectResult, trySelect } from "@weft/channels";
 *
 * const input = new Channel<number>(1);
 * const output = new Channel<string>(1);
 * input.trySend(3);
 * const cases = { got: onReceive(input), put: onSend(output, "x") };
 * const result: SelectResult<typeof cases> | undefined = trySelect(cases, { biased: true });
 * if (result?.key === "got") console.log(result.value + 1); // 4
 * ```
 */
export type SelectResult<C extends SelectCases> = {
  [K in keyof C & string]: {
    readonly key: K;
    readonly value: C[K] extends ReceiveCase<infer T> ? T : undefined;
  };
}[keyof C & string];

/**
 * Options of {@link select} and {@link trySelect}.
 * @example
 * ```ts
 * import { Channel, onReceive, type SelectOptions, trySelect } from "@weft/channels";
 *
 * const high = new Channel<string>(1);
 * const low = new Channel<string>(1);
 * high.trySend("urgent");
 * low.trySend("later");
 * const options: SelectOptions = { biased: true }; // the first ready case in key order
 * console.log(trySelect({ high: onReceive(high), low: onReceive(low) }, options)); // { key: 'high', value: 'urgent' }
 * ```
 */
export interface SelectOptions {
  /**
   * When several cases are ready, take the first in key order instead of a fair random choice.
   * Defaults to `false`.
   */
  biased?: boolean | undefined;
}

/**
 * A select case that receives an item from `channel`. A closed, drained channel makes the select
 * reject with its close error (`ChannelClosedError`, or the error given to `close`).
 * @param channel - The channel to receive from.
 * @returns The case, for {@link select} or {@link trySelect}.
 * @throws `TypeError` when `channel` is not a `Channel`.
 * @example
 * ```ts
 * import { Channel, onReceive, trySelect } from "@weft/channels";
 *
 * const channel = new Channel<string>(1);
 * channel.trySend("hi");
 * console.log(trySelect({ message: onReceive(channel) })); // { key: 'message', value: 'hi' }
 * ```
 */
export function onReceive<T>(channel: Channel<T>): ReceiveCase<T> {
  if (!isChannel(channel)) throw typeError("channel", "a Channel", channel);
  return Object.freeze({ kind: "receive", channel, [CASE]: true }) as ReceiveCase<T>;
}

/**
 * A select case that sends `value` to `channel`. A closed channel makes the select reject with
 * `ChannelClosedError`.
 * @param channel - The channel to send to.
 * @param value - The item to send if this case commits.
 * @returns The case, for {@link select} or {@link trySelect}.
 * @throws `TypeError` when `channel` is not a `Channel`.
 * @example
 * ```ts
 * import { Channel, onSend, trySelect } from "@weft/channels";
 *
 * const channel = new Channel<number>(1);
 * console.log(trySelect({ sent: onSend(channel, 1) })); // { key: 'sent', value: undefined }
 * console.log(channel.size); // 1
 * ```
 */
export function onSend<T>(channel: Channel<T>, value: T): SendCase<T> {
  if (!isChannel(channel)) throw typeError("channel", "a Channel", channel);
  return Object.freeze({ kind: "send", channel, value, [CASE]: true }) as SendCase<T>;
}

/** Whether `value` is a case made by {@link onReceive} or {@link onSend}. @internal */
export function isSelectCase(value: unknown): value is SelectCase {
  return typeof value === "object" && value !== null && CASE in value;
}
