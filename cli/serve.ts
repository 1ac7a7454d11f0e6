/**
 * `serve`: one computing party. For each job it forms the mesh with the other parties
 * (and the TTP for the `ttp` dealer), checks with party 0 that everyone runs the same job,
 * makes a context, runs the job's `main` and reports. A failed job is reported and the
 * party goes on with the next one; a party that cannot form the mesh stops.
 *
 * With no jobs of its own (`follow`), a party runs what party 0 announces (built-in jobs
 * only, unless `allowModules`), until party 0 says it was the last.
 *
 * @example
 * ```ts
 * import { serve } from "./serve.ts";
 * console.log(typeof serve); // "function"
 * ```
 * @module
 */
import { type Context, createContext, semi2k, tfpUnsafe } from "@sharetensor/protocols";
import type { Device } from "@sharetensor/core/device";
import type { Ring } from "@sharetensor/core/ring";
import type { FreshContext, JobEnv } from "./job.ts";
import { progressBar } from "./log.ts";
import { CallLog, prefetchingDealer } from "./prefetch_dealer.ts";
import { BUILTIN_JOBS, loadProgram, type Program, UsageError } from "./program.ts";
import { type JobReport, summarize, writeResult } from "./report.ts";
import { ttpRemote } from "./ttp_client.ts";
import { type Cluster, connectMesh, type KeyPair, type TcpTransport } from "./net_tcp.ts";

/** A job to run: its name (built-in or module path) and its arguments. */
export interface JobSpec {
  /** Built-in job name or module path. */
  name: string;
  /** Arguments for its `main`. */
  args: string[];
}

/** Options of {@linkcode serve}. */
export interface ServeOptions {
  /** The cluster. */
  cluster: Cluster;
  /** This party's key pair. */
  keyPair: KeyPair;
  /** This party's rank. */
  party: number;
  /** Jobs to run in order, or "follow" to run what party 0 announces. */
  jobs: JobSpec[] | "follow";
  /** Dealer (default "ttp"). */
  dealer?: "ttp" | "tfp-unsafe";
  /** Unencrypted links (loopback benchmarks only). */
  insecure?: boolean;
  /** Ring (default 64). */
  ring?: Ring;
  /** Device for local kernels: "cpu" (default) or "webgpu". */
  device?: "cpu" | "webgpu";
  /** Fractional bits (default 16). */
  fracBits?: number;
  /** Deadline for the mesh of each job, ms (default 30000). */
  connectTimeoutMs?: number;
  /** Limit of each wait for a peer's message, ms (default 120000). */
  timeoutMs?: number;
  /** A follower may run module paths that party 0 names (not just built-in jobs). */
  allowModules?: boolean;
  /** Write each job's full result here. */
  outDir?: string;
  /** Log lines (default stderr). */
  log?: (line: string) => void;
  /** Where each report goes as it is made (default: a JSON line on stdout). */
  onReport?: (r: JobReport) => void;
}

interface Announce {
  index: number;
  name: string;
  args: string[];
  last: boolean;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

async function announce(t: TcpTransport, mine: Announce | null): Promise<Announce> {
  const peers = [...Array(t.size).keys()].filter((p) => p !== t.rank);
  if (t.rank === 0) {
    const body = enc.encode(JSON.stringify(mine));
    const got = await t.exchange(new Map(peers.map((p) => [p, body])), peers);
    for (const [p, b] of got) {
      const theirs = JSON.parse(dec.decode(b)) as Announce | null;
      if (theirs && JSON.stringify(theirs) !== JSON.stringify(mine)) {
        throw new UsageError(
          `party ${p} was told to run job ${theirs.index} "${theirs.name}" ${
            JSON.stringify(theirs.args)
          }` +
            `, party 0 runs "${mine!.name}" ${JSON.stringify(mine!.args)}`,
        );
      }
    }
    return mine!;
  }
  const got = await t.exchange(new Map([[0, enc.encode(JSON.stringify(mine))]]), [0]);
  const theirs = JSON.parse(dec.decode(got.get(0)!)) as Announce;
  if (mine && JSON.stringify(theirs) !== JSON.stringify(mine)) {
    throw new UsageError(
      `party 0 runs job ${theirs.index} "${theirs.name}" ${JSON.stringify(theirs.args)}, this ` +
        `party was told to run "${mine.name}" ${JSON.stringify(mine.args)}`,
    );
  }
  return theirs;
}

async function barrier(ctx: Context): Promise<void> {
  await ctx.flush();
  const t = ctx.transport;
  const peers = [...Array(t.size).keys()].filter((p) => p !== t.rank);
  await t.exchange(new Map(peers.map((p) => [p, new Uint8Array(1)])), peers);
}

/**
 * Runs the jobs of one party; resolves with every report. Rejects only when the party
 * cannot go on (the mesh does not form, the job lists disagree).
 *
 * @example
 * ```ts
 * import { serve } from "./serve.ts";
 * console.log(serve.length); // 1
 * ```
 */
export async function serve(opts: ServeOptions): Promise<JobReport[]> {
  const { cluster, keyPair, party } = opts;
  const n = cluster.parties.length;
  const log = opts.log ?? ((l: string) => console.error(`[p${party}] ${l}`));
  const onReport = opts.onReport ?? ((r: JobReport) => console.log(JSON.stringify(r)));
  const dealerName = opts.dealer ?? "ttp";
  if (!Number.isInteger(party) || party < 0 || party >= n) {
    throw new UsageError(`--party must be in 0..${n - 1} for this cluster, got ${party}`);
  }
  if (dealerName === "ttp" && !cluster.ttp) {
    throw new UsageError("the ttp dealer needs a ttp entry in the cluster file");
  }
  if (opts.jobs === "follow" && party === 0) {
    throw new UsageError("party 0 names the jobs; give it a program or --jobs");
  }
  if (dealerName === "tfp-unsafe" && party === 0) {
    log(
      "WARNING: dealer tfp-unsafe: party 0 generates all correlated randomness and can " +
        "decrypt every secret. Use it for tests and benchmarks only.",
    );
  }
  let device: Device | undefined;
  if (opts.device === "webgpu") {
    const { createWebGpuDevice } = await import("@sharetensor/gpu");
    device = await createWebGpuDevice();
  }
  const programs = new Map<string, Program>();
  if (opts.jobs !== "follow") {
    for (const j of opts.jobs) programs.set(j.name, await loadProgram(j.name));
  }
  const reports: JobReport[] = [];
  for (let index = 0;; index++) {
    const mine: Announce | null = opts.jobs === "follow" ? null : {
      index,
      ...opts.jobs[index],
      last: index === opts.jobs.length - 1,
    };
    if (mine && !mine.name) break;
    const transport = await connectMesh(party, {
      cluster,
      keyPair,
      withTtp: dealerName === "ttp",
      insecure: opts.insecure,
      connectTimeoutMs: opts.connectTimeoutMs,
      timeoutMs: opts.timeoutMs,
      warn: index === 0 ? log : () => {},
    });
    let job: Announce;
    try {
      job = await announce(transport, mine);
    } catch (e) {
      await transport.close();
      throw e;
    }
    const report = await runJob(opts, device, transport, job, programs, log);
    reports.push(report);
    onReport(report);
    if (job.last) break;
  }
  return reports;
}

async function runJob(
  opts: ServeOptions,
  device: Device | undefined,
  transport: TcpTransport,
  job: Announce,
  programs: Map<string, Program>,
  log: (l: string) => void,
): Promise<JobReport> {
  const { party } = opts;
  const base = { party, index: job.index, job: job.name };
  const t0 = performance.now();
  try {
    let program = programs.get(job.name);
    if (!program) {
      if (!opts.allowModules && !Object.hasOwn(BUILTIN_JOBS, job.name)) {
        throw new UsageError(
          `party 0 asked for module "${job.name}"; a follower runs built-in jobs only ` +
            `(start it with --allow-modules to run modules)`,
        );
      }
      programs.set(job.name, program = await loadProgram(job.name));
    }
    const inner = opts.dealer === "tfp-unsafe"
      ? tfpUnsafe({ quiet: true })
      : ttpRemote(transport.ttp!);
    const dealer = prefetchingDealer(inner);
    const made: Context[] = [];
    const make = async (
      o: { record?: boolean; prefetch?: unknown } = {},
    ): Promise<FreshContext> => {
      // An op whose last round only sends resolves before its message is handed over:
      // flush, so that the new context's setup message never overtakes it.
      await Promise.all(made.map((c) => c.flush()));
      const record = o.record ? new CallLog() : undefined;
      const fresh: FreshContext = {
        ctx: undefined!,
        recorded: () => record ?? new CallLog(),
        offlineSeconds: 0,
      };
      dealer.plan({
        record,
        prefetch: o.prefetch instanceof CallLog ? o.prefetch : undefined,
        onOffline: (s) => fresh.offlineSeconds = s,
      });
      fresh.ctx = await createContext({
        protocol: semi2k,
        dealer,
        transport,
        device,
        ring: opts.ring,
        fracBits: opts.fracBits,
      });
      made.push(fresh.ctx);
      return fresh;
    };
    const { ctx } = await make();
    const env: JobEnv = {
      rank: party,
      size: transport.size,
      dealer: dealer.name,
      log,
      barrier,
      newContext: make,
      wireBytesSent: () => transport.wireBytesSent(),
      progress: (total, label) => progressBar(total, label, party === 0),
    };
    const result = await program.main(ctx, job.args, env);
    await Promise.all(made.map((c) => c.flush()));
    const s = ctx.stats();
    // Everyone has everything before anyone closes (a close cuts a slow write short).
    await barrier(ctx);
    const seconds = (performance.now() - t0) / 1000;
    if (opts.outDir) await writeResult(opts.outDir, party, job.index, result);
    log(
      `job ${job.index} ${job.name}: ok in ${seconds.toFixed(2)} s ` +
        `(${(s.bytesSent / 1e6).toFixed(2)} MB sent, ${s.rounds} rounds)`,
    );
    return {
      ...base,
      ok: true,
      seconds,
      result: summarize(result),
      stats: { bytesSent: s.bytesSent, wireBytesSent: transport.wireBytesSent(), rounds: s.rounds },
    };
  } catch (e) {
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    log(`job ${job.index} ${job.name}: FAILED: ${error}`);
    return { ...base, ok: false, seconds: (performance.now() - t0) / 1000, error };
  } finally {
    await transport.close();
  }
}
