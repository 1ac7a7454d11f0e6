/**
 * Opening the secure links of one node: the lower id dials, the higher id listens.
 * So party 0 only dials, party n-1 dials only the TTP (id n), and the TTP only listens.
 * Dialing retries with backoff (50 ms doubling to 1 s) while the peer is not up yet,
 * until `connectTimeoutMs`; each handshake has its own `handshakeTimeoutMs`.
 *
 * Failures: an authentication failure of a peer that named itself (wrong key, wrong id,
 * other cluster file, other suite) is fatal at once (`HandshakeError` naming it); an
 * inbound connection that never names itself (garbage, a port scanner, silence) is
 * dropped and setup goes on; when the deadline passes, `TimeoutError` names the first
 * missing peer (with the last dropped connection's error as `cause`).
 *
 * @example
 * ```ts
 * import { connectPeers } from "@sharetensor/net/tcp";
 * console.log(typeof connectPeers); // "function"
 * ```
 * @module
 */
import { HandshakeError, TimeoutError } from "@sharetensor/core/errors";
import { CIPHER_SUITES, type CipherSuite, DEFAULT_SUITE } from "./cipher.ts";
import { type Cluster, clusterNode } from "./cluster.ts";
import { DEFAULT_MAX_FRAME_BYTES, FrameReader } from "./frame.ts";
import { acceptHandshake, type HandshakeOptions, initiateHandshake } from "./handshake.ts";
import type { KeyPair } from "./keys.ts";
import { SecureLink } from "./secure_channel.ts";
import { errorText, sleep, withTimeout } from "./util.ts";

/** Options of {@linkcode connectPeers} (and of `connectMesh`). */
export interface ConnectOptions {
  /** The cluster: every node's id, address and public key. */
  readonly cluster: Cluster;
  /** This node's long-term key pair (must match its cluster entry). */
  readonly keyPair: KeyPair;
  /** Frame encryption suite (default {@linkcode DEFAULT_SUITE}, `"chacha20-poly1305"`). */
  readonly suite?: CipherSuite;
  /** Turns encryption off (suite `"insecure"`), with a warning. Loopback benchmarks only. */
  readonly insecure?: boolean;
  /** Deadline for all links to be up, ms (default 30000). */
  readonly connectTimeoutMs?: number;
  /** Limit per handshake, ms (default 10000). */
  readonly handshakeTimeoutMs?: number;
  /** Limit for each wait for a message or for the socket, ms (default 120000). */
  readonly timeoutMs?: number;
  /** Largest accepted frame body in bytes (default 1 GiB). */
  readonly maxFrameBytes?: number;
  /** Address to listen on (default: this node's host in the cluster file). */
  readonly listenHostname?: string;
  /** Where the insecure-mode warning goes (default `console.warn`). */
  readonly warn?: (message: string) => void;
}

/** Resolves the suite of `opts`, warning once when it is insecure. */
export function resolveSuite(opts: ConnectOptions, self: number): CipherSuite {
  const suite = opts.insecure ? "insecure" : opts.suite ?? DEFAULT_SUITE;
  if (!CIPHER_SUITES.includes(suite)) {
    throw new TypeError(
      `unknown cipher suite ${JSON.stringify(suite)}; use one of ${CIPHER_SUITES}`,
    );
  }
  if (suite === "insecure") {
    (opts.warn ?? console.warn)(
      `sharetensor/net: party ${self}: INSECURE links (no encryption, no authentication of ` +
        `frames); use this only for loopback benchmarks`,
    );
  }
  return suite;
}

function listenOn(hostname: string, port: number, self: number): Deno.TcpListener {
  try {
    return Deno.listen({ hostname, port, transport: "tcp" });
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse) {
      throw new Deno.errors.AddrInUse(
        `party ${self} cannot listen on ${hostname}:${port}: port ${port} is already in use`,
        { cause: e },
      );
    }
    throw new Error(`party ${self} cannot listen on ${hostname}:${port}: ${errorText(e)}`, {
      cause: e,
    });
  }
}

/**
 * True for a TCP connection whose two ends are the same address and port: what a dial to a
 * local port nobody listens on yet can give when the kernel picks that port as the source.
 */
export function isSelfConnect(conn: Deno.Conn): boolean {
  const a = conn.localAddr as Deno.NetAddr, b = conn.remoteAddr as Deno.NetAddr;
  return a.transport === "tcp" && a.port === b.port && a.hostname === b.hostname;
}

/** `Deno.connect` with a limit; a connection that comes after it is closed at once. */
function dial(hostname: string, port: number, ms: number, peer: number): Promise<Deno.TcpConn> {
  const p = Deno.connect({ hostname, port, transport: "tcp" });
  return withTimeout(p, ms, () => {
    p.then((c) => c.close(), () => {});
    return new TimeoutError(peer, ms, `a TCP connection to ${hostname}:${port}`);
  });
}

/**
 * Opens authenticated links from node `self` to each node in `peers` (default: every
 * other computing party; add `cluster.parties.length` for the TTP; the TTP itself passes
 * all party ids). Resolves a map from peer id to link once every link is up.
 *
 * @example
 * ```ts
 * import { connectPeers } from "@sharetensor/net/tcp";
 * // in party 1 of a 2-party cluster: const links = await connectPeers(1, [0], { cluster, keyPair });
 * console.log(connectPeers.length); // 3
 * ```
 */
export async function connectPeers(
  self: number,
  peers: readonly number[],
  opts: ConnectOptions,
): Promise<Map<number, SecureLink>> {
  const { cluster } = opts;
  const me = clusterNode(cluster, self);
  const own = opts.keyPair.publicKey;
  if (own.length !== 32 || !own.every((b, i) => b === me.publicKey[i])) {
    throw new HandshakeError(
      -1,
      `this key pair is not the one the cluster lists for party ${self} (wrong key file?)`,
    );
  }
  for (const p of peers) {
    clusterNode(cluster, p);
    if (p === self) throw new RangeError(`node ${self} cannot link to itself`);
  }
  const hs: HandshakeOptions = {
    cluster,
    self,
    keyPair: opts.keyPair,
    suite: resolveSuite(opts, self),
    timeoutMs: opts.handshakeTimeoutMs ?? 10_000,
  };
  const connectMs = opts.connectTimeoutMs ?? 30_000;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const maxFrame = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const deadline = Date.now() + connectMs;
  const lower = new Set(peers.filter((p) => p < self));
  const higher = peers.filter((p) => p > self);
  const links = new Map<number, SecureLink>();
  const conns = new Set<Deno.TcpConn>();
  const tasks = new Set<Promise<void>>();
  const stop = new AbortController();
  let lastDropped: unknown;
  let fatal: unknown;
  let wake!: () => void;
  const progress = () => wake?.();

  const track = (p: Promise<void>) => {
    const t = p.catch((e) => {
      if (!stop.signal.aborted) fatal ??= e;
      stop.abort();
    }).finally(() => {
      tasks.delete(t);
      progress();
    });
    tasks.add(t);
  };
  const adopt = (
    conn: Deno.TcpConn,
    reader: FrameReader,
    r: Awaited<ReturnType<typeof initiateHandshake>>,
  ) => {
    conns.delete(conn);
    links.set(r.peer, new SecureLink(conn, reader, r, timeoutMs, self));
  };
  const closeConn = (c: Deno.TcpConn) => {
    conns.delete(c);
    try {
      c.close();
    } catch { /* closed */ }
  };

  const listener = lower.size > 0
    ? listenOn(opts.listenHostname ?? me.host, me.port, self)
    : undefined;
  if (listener) {
    track((async () => {
      while (!stop.signal.aborted && [...lower].some((p) => !links.has(p))) {
        let conn: Deno.TcpConn;
        try {
          conn = await listener.accept();
        } catch (e) {
          if (stop.signal.aborted) return;
          throw e;
        }
        conns.add(conn);
        conn.setNoDelay(true);
        const reader = new FrameReader(conn, -1, maxFrame);
        track((async () => {
          try {
            const mayDial = (id: number) => lower.has(id) && !links.has(id);
            adopt(conn, reader, await acceptHandshake(conn, reader, mayDial, hs));
          } catch (e) {
            closeConn(conn);
            if (e instanceof HandshakeError && e.peer >= 0) throw e;
            lastDropped = e;
          }
        })());
      }
    })());
  }
  for (const p of higher) {
    const node = clusterNode(cluster, p);
    track((async () => {
      for (let attempt = 0; !stop.signal.aborted; attempt++) {
        let conn: Deno.TcpConn;
        try {
          conn = await dial(node.host, node.port, Math.max(1, deadline - Date.now()), p);
        } catch (e) {
          lastDropped = e;
          await sleep(Math.min(1000, 50 * 2 ** attempt), stop.signal);
          continue;
        }
        if (isSelfConnect(conn)) {
          // Linux may hand the dialing socket the very port it dials while no one listens
          // there yet (TCP simultaneous open with itself): not the peer, so drop and retry.
          closeConn(conn);
          lastDropped = new Error(`a self-connection to ${node.host}:${node.port}`);
          await sleep(Math.min(1000, 50 * 2 ** attempt), stop.signal);
          continue;
        }
        conns.add(conn);
        if (stop.signal.aborted) return closeConn(conn);
        conn.setNoDelay(true);
        const reader = new FrameReader(conn, p, maxFrame);
        try {
          return adopt(conn, reader, await initiateHandshake(conn, reader, p, hs));
        } catch (e) {
          closeConn(conn);
          throw e;
        }
      }
    })());
  }

  while (!fatal && links.size < peers.length && Date.now() < deadline) {
    const woke = new Promise<void>((r) => wake = r);
    await withTimeout(woke, deadline - Date.now(), () => new Error("deadline")).catch(() => {});
  }
  stop.abort();
  listener?.close();
  for (const c of conns) closeConn(c);
  await Promise.allSettled([...tasks]);
  if (!fatal && links.size < peers.length) {
    const missing = peers.find((p) => !links.has(p))!;
    fatal = new TimeoutError(missing, connectMs, `a link (setup of party ${self})`, {
      cause: lastDropped,
    });
    if (lastDropped) (fatal as Error).message += ` (last error: ${errorText(lastDropped)})`;
  }
  if (fatal) {
    await Promise.allSettled([...links.values()].map((l) => l.close()));
    throw fatal;
  }
  return links;
}
