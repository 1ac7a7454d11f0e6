/**
 * The trusted third party as a network service (`cli/main.ts ttp`). It listens at its
 * cluster entry; for each job the parties connect to it (a secure link per party), and it
 * serves them with the same {@linkcode TtpServer} as the in-process `ttp()` dealer: a
 * seed per party per session, and party 0's corrections per request. When every party
 * has gone, it waits for the next job.
 *
 * @example
 * ```ts
 * import { runTtpService } from "./ttp_service.ts";
 * console.log(typeof runTtpService); // "function"
 * ```
 * @module
 */
import { HandshakeError, TimeoutError } from "@sharetensor/core/errors";
import { type CorrelationRequest, TtpServer } from "@sharetensor/protocols";
import { type Cluster, connectPeers, type KeyPair, type SecureLink } from "./net_tcp.ts";
import { encodeTensors, packMessage, type TtpMessage, unpackMessage } from "./ttp_wire.ts";

/** Options of {@linkcode runTtpService}. */
export interface TtpServiceOptions {
  /** The cluster (must have a `ttp` entry). */
  cluster: Cluster;
  /** The TTP's key pair (its cluster entry's key). */
  keyPair: KeyPair;
  /** Unencrypted links (loopback benchmarks only; every node must agree). */
  insecure?: boolean;
  /** Stop after this many jobs (default: serve forever). */
  jobs?: number;
  /** Where log lines go (default `console.error`). */
  log?: (line: string) => void;
  /** How long one wait for all parties to connect lasts before it starts over (ms). */
  connectTimeoutMs?: number;
}

/** Traffic of one job at the TTP. */
export interface TtpJobStats {
  /** Sessions (contexts) served. */
  sessions: number;
  /** Correlation requests answered. */
  requests: number;
  /** Bytes of corrections sent to party 0. */
  bytesSent: number;
  /** Milliseconds spent computing corrections. */
  computeMs: number;
}

/**
 * Serves one job on links to every party, until all of them have closed their link.
 *
 * @example
 * ```ts
 * import { serveJob } from "./ttp_service.ts";
 * console.log(serveJob.length); // 2
 * ```
 */
export async function serveJob(links: Map<number, SecureLink>, size: number): Promise<TtpJobStats> {
  const sessions = new Map<number, TtpServer>();
  const stats: TtpJobStats = { sessions: 0, requests: 0, bytesSent: 0, computeMs: 0 };
  const server = (s: number) => {
    let srv = sessions.get(s);
    if (!srv) {
      sessions.set(s, srv = TtpServer.random(size));
      stats.sessions++;
    }
    return srv;
  };
  const answer = (peer: number, msg: TtpMessage): TtpMessage => {
    if (msg[0] === "hello") return ["seed", msg[1], server(msg[1]).seedFor(peer)];
    if (msg[0] !== "req") return ["err", msg[1], `unexpected message ${msg[0]}`];
    if (peer !== 0) return ["err", msg[1], `only party 0 gets corrections, not party ${peer}`];
    const t0 = performance.now();
    try {
      const out = server(msg[1]).corrections(msg[2] as CorrelationRequest);
      stats.requests++;
      for (const t of out) stats.bytesSent += t.data.byteLength;
      return ["cor", msg[1], encodeTensors(out)];
    } catch (e) {
      return ["err", msg[1], (e as Error).message];
    } finally {
      stats.computeMs += performance.now() - t0;
    }
  };
  await Promise.all([...links].map(async ([peer, link]) => {
    try {
      while (true) {
        const bytes = await link.recv();
        let msg: TtpMessage;
        try {
          msg = unpackMessage(bytes);
        } catch (e) {
          msg = ["err", -1, (e as Error).message];
        }
        await link.send(packMessage(answer(peer, msg)));
      }
    } catch {
      // The party closed its link (end of its job) or died; either ends its part.
    } finally {
      await link.close();
    }
  }));
  return stats;
}

/**
 * Runs the TTP: waits for all parties, serves their job, and starts over (forever, or
 * `opts.jobs` times). A party with a wrong key or cluster file is logged and refused;
 * the TTP goes on waiting.
 *
 * @example
 * ```ts
 * import { runTtpService } from "./ttp_service.ts";
 * console.log(runTtpService.length); // 1
 * ```
 */
export async function runTtpService(opts: TtpServiceOptions): Promise<void> {
  const { cluster, keyPair } = opts;
  const log = opts.log ?? ((l: string) => console.error(l));
  if (!cluster.ttp) throw new TypeError("the cluster file has no ttp entry");
  const n = cluster.parties.length;
  const parties = [...Array(n).keys()];
  for (let job = 1; opts.jobs === undefined || job <= opts.jobs;) {
    let links: Map<number, SecureLink>;
    try {
      links = await connectPeers(n, parties, {
        cluster,
        keyPair,
        insecure: opts.insecure,
        timeoutMs: Infinity,
        connectTimeoutMs: opts.connectTimeoutMs ?? 60_000,
        warn: job === 1 ? log : () => {},
      });
    } catch (e) {
      if (e instanceof TimeoutError) continue;
      if (e instanceof HandshakeError) {
        log(`refused a party: ${e.message}`);
        continue;
      }
      throw e;
    }
    const t0 = performance.now();
    const s = await serveJob(links, n);
    log(
      `job ${job}: ${s.sessions} session(s), ${s.requests} request(s), ` +
        `${(s.bytesSent / 1e6).toFixed(2)} MB to party 0, ${
          s.computeMs.toFixed(0)
        } ms computing, ` +
        `${((performance.now() - t0) / 1000).toFixed(2)} s connected`,
    );
    job++;
  }
}
