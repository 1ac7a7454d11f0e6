/**
 * `ttpRemote(link)`: the `ttp` dealer of a party whose TTP runs as its own process
 * (`cli/main.ts ttp`). Each context asks the TTP for its seed of a new session; party 0
 * then fetches its corrections per correlation over the same link, and every party draws
 * the rest from its seed ({@linkcode SeededSession}), exactly as with the in-process
 * `ttp()`.
 *
 * @example
 * ```ts
 * import { ttpRemote } from "./ttp_client.ts";
 * console.log(typeof ttpRemote); // "function"
 * ```
 * @module
 */
import type { RingTensor } from "@sharetensor/core/ring";
import {
  type CorrelationRequest,
  type Dealer,
  type DealerConnectInfo,
  type DealerSession,
  SeededSession,
} from "@sharetensor/protocols";
import { decodeTensors, packMessage, type TtpMessage, unpackMessage } from "./ttp_wire.ts";

/** What the client needs of a link: in-order send and receive of whole messages. */
export interface MessageLink {
  /** Sends one message. */
  send(payload: Uint8Array): Promise<void>;
  /** The next message, in order. */
  recv(): Promise<Uint8Array>;
}

/**
 * A dealer that talks to a networked TTP over `link`. The k-th context made with it uses
 * session k at the TTP; all parties must make their contexts in the same order.
 *
 * @example
 * ```ts
 * import { ttpRemote } from "./ttp_client.ts";
 * const d = ttpRemote({ send: () => Promise.resolve(), recv: () => new Promise(() => {}) });
 * console.log(d.name); // "ttp"
 * ```
 */
export function ttpRemote(link: MessageLink): Dealer {
  let next = 0;
  const call = async (msg: TtpMessage): Promise<TtpMessage> => {
    // Answers come in request order; recv() waiters are served in call order too.
    const answer = link.recv();
    await link.send(packMessage(msg));
    return unpackMessage(await answer);
  };
  return {
    name: "ttp",
    async connect(info: DealerConnectInfo): Promise<DealerSession> {
      const session = next++;
      const hello = await call(["hello", session]);
      if (hello[0] !== "seed" || hello[1] !== session || !(hello[2] instanceof Uint8Array)) {
        throw new TypeError(`the TTP answered hello ${session} with ${String(hello[0])}`);
      }
      const fetch = async (req: CorrelationRequest): Promise<RingTensor[]> => {
        const m = await call(["req", session, req]);
        if (m[0] === "err") throw new Error(`the TTP refused ${req.kind} ${req.key}: ${m[2]}`);
        if (m[0] !== "cor" || m[1] !== session) {
          throw new TypeError(`the TTP answered a request with ${String(m[0])} ${m[1]}`);
        }
        return decodeTensors(m[2]);
      };
      return new SeededSession(
        hello[2],
        info.rank,
        info.device,
        info.rank === 0 ? fetch : undefined,
      );
    },
  };
}
