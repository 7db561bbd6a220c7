// Channel throughput: one producer sends 0 … n - 1, one consumer receives them; every case returns
// the order-sensitive checksum of what arrived, so a lost, duplicated or reordered item shows.
import { Channel } from "@weft/channels";
import { Channel as AsyncChannel } from "async-channel";
import { Effect, Fiber, Queue } from "effect";
import { checksumOfRange, Fifo, mix } from "./common.mjs";

/**
 * The hand-written baseline: a bounded buffer on an array with a moving head, and FIFOs of waiting
 * senders and receivers resolved directly.
 */
export class HandChannel {
  #capacity;
  #buffer = new Fifo();
  #senders = new Fifo();
  #receivers = new Fifo();

  constructor(capacity) {
    this.#capacity = capacity;
  }

  send(value) {
    if (this.#receivers.size > 0) {
      this.#receivers.shift()(value);
      return Promise.resolve();
    }
    if (this.#buffer.size < this.#capacity) {
      this.#buffer.push(value);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#senders.push({ value, resolve }));
  }

  receive() {
    if (this.#buffer.size > 0) {
      const value = this.#buffer.shift();
      if (this.#senders.size > 0) {
        const sender = this.#senders.shift();
        this.#buffer.push(sender.value);
        sender.resolve();
      }
      return Promise.resolve(value);
    }
    if (this.#senders.size > 0) {
      const sender = this.#senders.shift();
      sender.resolve();
      return Promise.resolve(sender.value);
    }
    return new Promise((resolve) => this.#receivers.push(resolve));
  }
}

/** Runs the producer and the consumer on a channel with `send` and `receive` methods. */
async function pump(channel, n, send = "send", receive = "receive") {
  const producer = (async () => {
    for (let i = 0; i < n; i++) await channel[send](i);
  })();
  let sum = 0;
  for (let i = 0; i < n; i++) sum = mix(sum, await channel[receive]());
  await producer;
  return sum;
}

function channelWorkload(capacity, label) {
  return {
    id: `channel-${label}`,
    title: `channel throughput, capacity ${label}`,
    sizes: [1e3, 1e4, 1e5, 1e6],
    subject: "weft Channel",
    baseline: "array + resolvers",
    target: 1.1,
    expected: checksumOfRange,
    cases: {
      "weft Channel": (n) => pump(new Channel(capacity), n),
      "array + resolvers": (n) => pump(new HandChannel(capacity), n),
      "async-channel": (n) => pump(new AsyncChannel(capacity), n, "push", "get"),
      "effect Queue": (n) =>
        Effect.runPromise(
          Effect.gen(function* () {
            const queue = yield* capacity === Number.POSITIVE_INFINITY
              ? Queue.unbounded()
              : Queue.bounded(capacity);
            const producer = yield* Effect.fork(
              Effect.gen(function* () {
                for (let i = 0; i < n; i++) yield* Queue.offer(queue, i);
              }),
            );
            let sum = 0;
            for (let i = 0; i < n; i++) sum = mix(sum, yield* Queue.take(queue));
            yield* Fiber.join(producer);
            return sum;
          }),
        ),
    },
  };
}

export const channel1 = channelWorkload(1, "1");
export const channel64 = channelWorkload(64, "64");
export const channelUnbounded = channelWorkload(Number.POSITIVE_INFINITY, "unbounded");
