// A networked TTP answers party 0 after a network delay while the other parties draw
// their correlations at once. Results must not depend on that timing: here party 0's
// corrections arrive with uneven delays (in request order, as over one TCP link, or out
// of order), in memory, and every op must still match its plaintext result bit for bit.
import assert from "node:assert/strict";
import {
  type CorrelationRequest,
  type Dealer,
  runParties,
  SecretTensor,
  SeededSession,
  TtpServer,
} from "@sharetensor/protocols";
import { main as w3, w3Input } from "../cli/jobs/w3.ts";

/** A TTP dealer whose corrections reach party 0 after `delayMs(i)` for request i. */
function slowTtp(delayMs: (i: number) => number, fifo: boolean): Dealer {
  const server = TtpServer.random(2);
  let i = 0;
  let last = Promise.resolve();
  return {
    name: "ttp",
    connect(info) {
      const fetch = (req: CorrelationRequest) => {
        const out = server.corrections(req);
        const wait = new Promise<void>((r) => setTimeout(r, delayMs(i++)));
        // FIFO: like one TCP link, an answer never overtakes an earlier one.
        const ready = fifo ? (last = Promise.all([last, wait]).then(() => {})) : wait;
        return ready.then(() => out);
      };
      return Promise.resolve(
        new SeededSession(server.seedFor(info.rank), info.rank, info.device, fetch),
      );
    },
  };
}

const hasRelu =
  typeof (SecretTensor.prototype as unknown as { relu?: unknown }).relu === "function";
const patterns = [[0, 0, 30], [20, 0], [5, 15, 25, 0, 10]];
for (const fifo of [true, false]) {
  Deno.test({
    name: `dealer latency on party 0 (answers ${
      fifo ? "in order" : "out of order"
    }) does not change ReLU`,
    ignore: !hasRelu,
    async fn() {
      const want = w3Input(40).map((v) => Math.max(0, Math.round(v * 65536) / 65536));
      for (const delays of patterns) {
        const [got] = await runParties(2, (ctx) => w3(ctx, ["--size", "40"]), {
          dealer: slowTtp((i) => delays[i % delays.length], fifo),
        });
        const bad = got!.findIndex((v, i) => v !== want[i]);
        assert.equal(bad, -1, `delays ${delays}: ReLU at ${bad}: ${got![bad]}, want ${want[bad]}`);
      }
    },
  });
}
