/**
 * W1, W2a and W2b of shared/WORKLOADS.md on 2 in-memory parties in this process (one
 * thread for both, so the wall time is the two parties' work added up). The dealer's time is
 * measured apart, since the workloads count correlated randomness as offline. CrypTen
 * (2 processes, one core each): W1 0.061 s, 16.0 MB, 1 round; W2a 0.067 s, 5.5 MB,
 * 1 round; W2b 0.020 s, 1.05 MB, 1 round.
 *
 * Per party: each party has its own clocked device, which adds up the time of that party's
 * device kernels (all of its ring arithmetic; the dealer's own kernels are left out). What
 * remains of the online time (transport copies, encoding, protocol glue) is not split by
 * the clocks and is shared evenly, so `per party = own kernels + rest / 2`: the figure to
 * set against CrypTen's one-process-per-party time.
 *
 * Each workload runs twice: on fresh inputs of P0 and P1 (the input-aware kernels
 * `mul_owned` / `matmul_owned`: one local product per owner) and on the same inputs through
 * a derived op ("general shares": the Beaver kernels `mul_aa` / `matmul_aa`).
 *
 * Run: `deno bench -A protocols/kernels/workloads_bench.ts`; the best run's figures (online
 * time without the dealer, per party, MB and rounds of party 0) are printed at the end.
 * @module
 */
import { cpu } from "@sharetensor/core/cpu";
import type { Device } from "@sharetensor/core/device";
import { memoryNetwork } from "@sharetensor/net/memory";
import { type Context, createContext } from "../runtime/context.ts";
import { tfpUnsafe } from "../dealers/tfp_unsafe.ts";
import { semi2k } from "../semi2k.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { wrapDealerCalls } from "../compare/bench_util.ts";

/** CrypTen's online seconds per workload (one process, one core per party). */
const CRYPTEN_MS: Record<string, number> = { W1: 61, W2a: 67, W2b: 20 };

/** Milliseconds spent in dealer calls and in each party's device kernels. */
const clock = { dealer: 0, party: [0, 0], inDealer: 0 };

/** `base` with every method timed into `clock.party[rank]` (unless a dealer call runs). */
function clockedDevice(base: Device, rank: number): Device {
  return new Proxy(base, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        if (clock.inDealer > 0) return v.apply(target, args);
        const t = performance.now();
        try {
          return v.apply(target, args);
        } finally {
          clock.party[rank] += performance.now() - t;
        }
      };
    },
  });
}

const dealer = tfpUnsafe({ quiet: true });
const ctxs: Context[] = await Promise.all(
  memoryNetwork(2).map((transport, rank) =>
    createContext({ protocol: semi2k, dealer, transport, device: clockedDevice(cpu, rank) })
  ),
);
for (const c of ctxs) {
  // The dealer's work runs synchronously inside these calls (tfpUnsafe makes it lazily).
  wrapDealerCalls(c, (call) => {
    const t = performance.now();
    clock.inDealer++;
    try {
      return call();
    } finally {
      clock.inDealer--;
      clock.dealer += performance.now() - t;
    }
  });
}

interface Run {
  /** Online ms for both parties (wall time less the dealer's). */
  online: number;
  dealer: number;
  /** Each party's device kernels (ms). */
  kernels: number[];
  mb: number;
  rounds: number;
}

async function timed(fn: (rank: number) => Promise<unknown>): Promise<Run> {
  await Promise.all(ctxs.map((c) => c.flush()));
  const s0 = ctxs[0].stats();
  clock.dealer = 0;
  clock.party = [0, 0];
  const t0 = performance.now();
  await Promise.all(ctxs.map((_c, i) => fn(i)));
  const ms = performance.now() - t0;
  const kernels = [...clock.party], dealerMs = clock.dealer;
  await ctxs[0].flush();
  const s1 = ctxs[0].stats();
  return {
    online: ms - dealerMs,
    dealer: dealerMs,
    kernels,
    mb: (s1.payloadBytes - s0.payloadBytes) / 1e6,
    rounds: s1.rounds - s0.rounds,
  };
}

let seed = 7;
const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const uni = (n: number, lo: number, hi: number) =>
  new Float64Array(n).map(() => lo + (hi - lo) * rand());

async function shareBoth(v: Float64Array, from: number, shape: number[]): Promise<SecretTensor[]> {
  return await Promise.all(
    ctxs.map((c) => c.share(c.rank === from ? v : null, { from, shape })),
  );
}

const x1 = await shareBoth(uni(1e6, -4, 4), 0, [1000, 1000]);
const y1 = await shareBoth(uni(1e6, -4, 4), 1, [1000, 1000]);
const x2a = await shareBoth(uni(128 * 768, -1, 1), 0, [128, 768]);
const w2a = await shareBoth(uni(768 * 768, -1, 1), 1, [768, 768]);
const x2b = await shareBoth(uni(256 * 256, -1, 1), 0, [256, 256]);
const w2b = await shareBoth(uni(256 * 256, -1, 1), 1, [256, 256]);

// The same inputs through a derived op (a reshape): not fresh inputs, so the products take
// the general Beaver kernels (mul_aa, matmul_aa), as any share inside a model does.
const general = (ts: SecretTensor[]) => ts.map((t) => t.reshape([...t.shape]));
const [gx1, gy1, gx2a, gw2a, gx2b, gw2b] = [x1, y1, x2a, w2a, x2b, w2b].map(general);

const best = new Map<string, Run>();
function note(name: string, r: Run): void {
  if (r.online < (best.get(name)?.online ?? Infinity)) best.set(name, r);
}

/** The report line of one workload's best run. */
function line(name: string, r: Run): string {
  const rest = Math.max(0, r.online - r.kernels[0] - r.kernels[1]);
  const per = r.kernels.map((k) => k + rest / 2);
  const worst = Math.max(...per), cr = CRYPTEN_MS[name.split(" ")[0]];
  return `${name}: ${r.online.toFixed(1)} ms online for both parties (dealer ${
    r.dealer.toFixed(1)
  } ms apart), ${r.mb.toFixed(2)} MB, ${r.rounds} round(s) (party 0); per party: P0 ${
    per[0].toFixed(1)
  } ms, P1 ${per[1].toFixed(1)} ms (kernels ${r.kernels[0].toFixed(1)} / ${
    r.kernels[1].toFixed(1)
  } ms + ${rest.toFixed(1)} ms transport and glue split evenly); CrypTen ${cr} ms per party: ${
    (cr / worst).toFixed(2)
  }x`;
}

const cases: [string, string, () => Promise<void>][] = [
  ["W1", "W1 mul [1000,1000]", async () => {
    note("W1", await timed(async (i) => void await x1[i].mul(y1[i])));
  }],
  ["W2a", "W2a matmul [128,768]@[768,768]", async () => {
    note("W2a", await timed(async (i) => void await x2a[i].matmul(w2a[i])));
  }],
  ["W2b", "W2b matmul [256,256]@[256,256]", async () => {
    note("W2b", await timed(async (i) => void await x2b[i].matmul(w2b[i])));
  }],
  ["W1", "W1 mul [1000,1000], general shares", async () => {
    note("W1 general", await timed(async (i) => void await gx1[i].mul(gy1[i])));
  }],
  ["W2a", "W2a matmul [128,768]@[768,768], general shares", async () => {
    note("W2a general", await timed(async (i) => void await gx2a[i].matmul(gw2a[i])));
  }],
  ["W2b", "W2b matmul [256,256]@[256,256], general shares", async () => {
    note("W2b general", await timed(async (i) => void await gx2b[i].matmul(gw2b[i])));
  }],
];
for (const [group, name, fn] of cases) {
  Deno.bench({ name, group, baseline: !name.includes("general"), n: 5, warmup: 2, fn });
}

globalThis.addEventListener("unload", () => {
  for (const [name, r] of best) console.log(line(name, r));
});
