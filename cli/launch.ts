/**
 * `launch`: all parties of a job on this machine, each its own process. It makes fresh
 * keys and a cluster file on free 127.0.0.1 ports in a temporary folder, starts the TTP
 * (for the `ttp` dealer) and the `n` parties with `serve`, tags every line they write
 * with who wrote it (`[p0]`, `[ttp]`), and waits. When a party exits with an error, the
 * others are stopped; the exit code is the worst of the parties'.
 *
 * @example
 * ```ts
 * import { launch } from "./launch.ts";
 * console.log(typeof launch); // "function"
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";
import {
  type Cluster,
  type ClusterNode,
  formatCluster,
  freePorts,
  generateKeyPair,
  writeKeyFile,
} from "./net_tcp.ts";
import { tagLines } from "./log.ts";

/** Options of {@linkcode launch}. */
export interface LaunchOptions {
  /** Number of computing parties (>= 2). */
  parties: number;
  /** Job names or module paths, run in order. */
  jobs: string[];
  /** Arguments for every job. */
  args?: string[];
  /** Dealer (default "ttp"). */
  dealer?: "ttp" | "tfp-unsafe";
  /** Unencrypted links. */
  insecure?: boolean;
  /** Extra `serve` options, passed through (e.g. ["--ring", "32"]). */
  serveArgs?: string[];
  /** Folder for each party's results (`serve --out-dir`). */
  outDir?: string;
  /** Keep the temporary folder with keys and cluster file. */
  keep?: boolean;
  /** Stop everything after this many seconds (0: no limit). */
  timeoutS?: number;
  /** Where tagged stdout lines go (default: this process's stdout). */
  onStdout?: (tag: string, line: string) => void;
  /** Where tagged stderr lines go (default: this process's stderr). */
  onStderr?: (tag: string, line: string) => void;
}

/** The outcome of a launch. */
export interface LaunchResult {
  /** 0 when every party exited 0; else 2 when one reported a usage error; else 1. */
  code: number;
  /** Exit code of each party (index = rank), null when it was stopped. */
  partyCodes: (number | null)[];
  /** The party (or "ttp") that failed first, if any. */
  firstFailure?: string;
}

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

async function pump(
  stream: ReadableStream<Uint8Array>,
  tag: string,
  out: (tag: string, line: string) => void,
): Promise<void> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    for (const l of lines) out(tag, l);
  }
  if (rest) out(tag, rest);
}

const enc = new TextEncoder();
const writeTo = (f: { writeSync(p: Uint8Array): number }) => (tag: string, line: string) => {
  const bytes = enc.encode(tagLines(tag, line) + "\n");
  for (let off = 0; off < bytes.length;) off += f.writeSync(bytes.subarray(off));
};

/**
 * Runs the parties (and TTP) of `opts` as local processes and resolves when all have
 * exited.
 *
 * @example
 * ```ts
 * import { launch } from "./launch.ts";
 * // const { code } = await launch({ parties: 2, jobs: ["hello"] });
 * console.log(launch.length); // 1
 * ```
 */
export async function launch(opts: LaunchOptions): Promise<LaunchResult> {
  const n = opts.parties;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`--parties must be >= 2, got ${n}`);
  const dealer = opts.dealer ?? "ttp";
  const dir = await Deno.makeTempDir({ prefix: "sharetensor-launch-" });
  const keys = Array.from({ length: n + 1 }, () => generateKeyPair());
  const ports = freePorts(n + 1);
  const node = (id: number): ClusterNode => ({
    id,
    host: "127.0.0.1",
    port: ports[id],
    publicKey: keys[id].publicKey,
  });
  const parties = Array.from({ length: n }, (_, i) => node(i));
  const cluster: Cluster = dealer === "ttp" ? { parties, ttp: node(n) } : { parties };
  const clusterPath = `${dir}/cluster.json`;
  await Deno.writeTextFile(clusterPath, formatCluster(cluster));
  for (let i = 0; i <= n; i++) await writeKeyFile(`${dir}/${i < n ? `p${i}` : "ttp"}.key`, keys[i]);
  const onOut = opts.onStdout ?? writeTo(Deno.stdout);
  const onErr = opts.onStderr ?? writeTo(Deno.stderr);
  const common = [...(opts.insecure ? ["--insecure"] : [])];
  const spawn = (tag: string, args: string[]) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", MAIN, ...args],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
    const io = Promise.all([pump(child.stdout, tag, onOut), pump(child.stderr, tag, onErr)]);
    return { tag, child, done: child.status.then(async (s) => (await io, s)) };
  };
  const ttp = dealer === "ttp"
    ? spawn("ttp", [
      "ttp",
      "--cluster",
      clusterPath,
      "--key",
      `${dir}/ttp.key`,
      "--jobs",
      String(opts.jobs.length),
      ...common,
    ])
    : undefined;
  const procs = parties.map((_, i) =>
    spawn(`p${i}`, [
      "serve",
      "--cluster",
      clusterPath,
      "--party",
      String(i),
      "--key",
      `${dir}/p${i}.key`,
      "--dealer",
      dealer,
      "--jobs",
      opts.jobs.join(","),
      ...common,
      ...(opts.outDir ? ["--out-dir", opts.outDir] : []),
      ...(opts.serveArgs ?? []),
      ...(opts.args?.length ? ["--", ...opts.args] : []),
    ])
  );
  const all = ttp ? [...procs, ttp] : procs;
  const codes: (number | null)[] = new Array(n).fill(null);
  let firstFailure: string | undefined;
  let stopped = false;
  const stop = (p: { child: Deno.ChildProcess }) => {
    try {
      p.child.kill("SIGTERM");
    } catch { /* already gone */ }
  };
  const stopAll = () => {
    stopped = true;
    for (const p of all) stop(p);
  };
  const timer = opts.timeoutS
    ? setTimeout(() => {
      onErr("launch", `timed out after ${opts.timeoutS} s; stopping every party`);
      firstFailure ??= "timeout";
      stopAll();
    }, opts.timeoutS * 1000)
    : undefined;
  let partiesDone = false;
  ttp?.done.then((s) => {
    if (s.code !== 0 && !stopped && !partiesDone) {
      firstFailure ??= "ttp";
      onErr("launch", `the TTP exited with code ${s.code}; stopping the parties`);
      stopAll();
    }
  });
  await Promise.all(procs.map(async (p, i) => {
    const s = await p.done;
    if (!stopped || s.code !== 143) codes[i] = s.signal ? null : s.code;
    if (s.code !== 0 && !stopped) {
      firstFailure ??= p.tag;
      onErr("launch", `party ${i} exited with code ${s.code}; stopping the others`);
      stopAll();
    }
  }));
  partiesDone = true;
  if (ttp) {
    // The TTP ends by itself after the last job; stop it if a party failed early.
    // It may already have exited (stopAll reached it first): killing it again must not throw.
    const t = setTimeout(() => stop(ttp), stopped ? 0 : 5000);
    await ttp.done;
    clearTimeout(t);
  }
  clearTimeout(timer);
  if (!opts.keep) await Deno.remove(dir, { recursive: true }).catch(() => {});
  else onErr("launch", `keys and cluster file kept in ${dir}`);
  const code = codes.every((c) => c === 0) ? 0 : codes.includes(2) ? 2 : 1;
  return { code, partyCodes: codes, ...(firstFailure ? { firstFailure } : {}) };
}
