/**
 * The benchmark job that every party runs (through `cli/main.ts serve`): one workload,
 * one warm-up that records the dealer requests, then `--runs` timed runs, each in a fresh
 * context whose correlations are made before the timer (offline), with the inputs shared
 * before the first barrier and the outputs opened after the second. Party 0 returns the
 * record; the others return null.
 *
 * Arguments: `--id W3 --runs 3`.
 *
 * @example
 * ```ts
 * import { main } from "./job.ts";
 * console.log(typeof main); // "function"
 * ```
 * @module
 */
import type { Context, SecretTensor } from "@sharetensor/protocols";
import type { JobEnv } from "../cli/job.ts";
import { numberArg } from "../cli/jobs/inputs.ts";
import { resolveOp, type SecureOp } from "./ops.ts";
import { workload } from "./workloads.ts";

/** What party 0 measures for one workload. */
export interface Measured {
  /** Workload id. */
  id: string;
  /** Median online seconds. */
  online_s: number;
  /** Every timed run's online seconds. */
  runs: number[];
  /** Median seconds making the correlations of one run (before the timer). */
  offline_s: number;
  /** MB party 0 wrote to its sockets in one timed run (frames included), median. */
  mb_sent_p0: number;
  /** MB of payload party 0 sent (what the kernels declare), median. */
  mb_payload_p0: number;
  /** Rounds of party 0 in one timed run. */
  rounds: number;
  /** max |MPC - float64 reference| over all outputs. */
  max_abs_err: number;
  /** max |MPC - ref| / max(|ref|, 1). */
  max_rel_err: number;
  /** Seconds of the float64 plaintext reference. */
  plaintext_s: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Runs one workload on this party; party 0 resolves with the {@linkcode Measured}. */
export async function main(ctx0: Context, args: string[], env: JobEnv): Promise<Measured | null> {
  const id = args[args.indexOf("--id") + 1];
  const runs = numberArg(args, "runs", 3);
  const w = workload(id);
  const op: Record<string, SecureOp> = {};
  for (const name of w.ops) {
    const f = await resolveOp(name);
    if (!f) throw new TypeError(`pending: this build has no "${name}" for ${w.id}`);
    op[name] = f;
  }
  const plain = w.inputs.map((s) => (s.from === env.rank ? s.draw() : null));
  const share = (ctx: Context) =>
    Promise.all(w.inputs.map((s, i) => ctx.share(plain[i], { from: s.from, shape: s.shape })));
  const once = async (ctx: Context, timed: boolean) => {
    const xs = await share(ctx);
    await env.barrier(ctx);
    const s0 = ctx.stats();
    const b0 = env.wireBytesSent();
    const t0 = performance.now();
    const outs = await w.compute(xs, op);
    await ctx.flush();
    const s1 = ctx.stats();
    const b1 = env.wireBytesSent();
    await env.barrier(ctx);
    const seconds = (performance.now() - t0) / 1000;
    const opened = timed
      ? null
      : await Promise.all(outs.map((o: SecretTensor) => o.reveal({ to: 0 })));
    return {
      seconds,
      wire: b1 - b0,
      payload: s1.bytesSent - s0.bytesSent,
      rounds: s1.rounds - s0.rounds,
      opened,
    };
  };
  // Warm-up (JIT, caches) in a fresh context that records its dealer calls for the
  // timed runs (op ids start over in each fresh context, so the keys repeat).
  void ctx0;
  const rec = await env.newContext({ record: true });
  const warm = await once(rec.ctx, false);
  const bar = env.progress(runs, `${w.id} runs`);
  const timedRuns: { seconds: number; wire: number; payload: number; rounds: number }[] = [];
  const offline: number[] = [];
  for (let r = 0; r < runs; r++) {
    const fresh = await env.newContext({ prefetch: rec.recorded() });
    offline.push(fresh.offlineSeconds);
    timedRuns.push(await once(fresh.ctx, true));
    bar.increment();
  }
  bar.stop();
  if (env.rank !== 0) return null;
  const all = w.inputs.map((s) => s.draw());
  const tp = performance.now();
  const ref = w.reference(all);
  const plaintext_s = (performance.now() - tp) / 1000;
  let abs = 0;
  let rel = 0;
  ref.forEach((r, k) => {
    const got = warm.opened![k]!;
    if (got.length !== r.length) {
      throw new TypeError(
        `${w.id}: output ${k} has ${got.length} values, the reference ${r.length}`,
      );
    }
    for (let i = 0; i < r.length; i++) {
      const e = Math.abs(got[i] - r[i]);
      abs = Math.max(abs, e);
      rel = Math.max(rel, e / Math.max(Math.abs(r[i]), 1));
    }
  });
  return {
    id: w.id,
    online_s: median(timedRuns.map((r) => r.seconds)),
    runs: timedRuns.map((r) => r.seconds),
    offline_s: median(offline),
    mb_sent_p0: median(timedRuns.map((r) => r.wire)) / 1e6,
    mb_payload_p0: median(timedRuns.map((r) => r.payload)) / 1e6,
    rounds: median(timedRuns.map((r) => r.rounds)),
    max_abs_err: abs,
    max_rel_err: rel,
    plaintext_s,
  };
}
