/**
 * The networking commands of the CLI: `keygen`, `ttp`, `serve` and `launch` (citty
 * definitions; `main.ts` runs them). Exit codes: 0 ok, 1 a job or the network failed,
 * 2 a usage error. Program arguments come after `--` and are handed in by `main.ts`.
 *
 * @example
 * ```ts
 * import { networkCommands } from "./commands.ts";
 * console.log(Object.keys(networkCommands([])).sort()); // ["keygen", "launch", "serve", "ttp"]
 * ```
 * @module
 */
import { type BooleanArgDef, type CommandDef, defineCommand, type EnumArgDef } from "citty";
import type { Ring } from "@sharetensor/core/ring";
import {
  type Cluster,
  encodePublicKey,
  generateKeyPair,
  type KeyPair,
  loadCluster,
  readKeyFile,
  writeKeyFile,
} from "./net_tcp.ts";
import { launch } from "./launch.ts";
import { logger } from "./log.ts";
import { BUILTIN_JOBS, UsageError } from "./program.ts";
import { serve } from "./serve.ts";
import { runTtpService } from "./ttp_service.ts";

/** Thrown by a command that has already said what went wrong; carries the exit code. */
export class ExitError extends Error {
  /** The process exit code. */
  readonly code: number;
  /** Creates the error. */
  constructor(code: number, message = `exit ${code}`) {
    super(message);
    this.name = "ExitError";
    this.code = code;
  }
}

function int(v: unknown, flag: string, min = 0): number {
  const x = Number(v);
  if (v === undefined || v === "" || !Number.isInteger(x) || x < min) {
    throw new UsageError(`--${flag} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  }
  return x;
}

async function files(clusterPath: string, keyPath: string): Promise<[Cluster, KeyPair]> {
  try {
    return await Promise.all([loadCluster(clusterPath), readKeyFile(keyPath)]);
  } catch (e) {
    throw new UsageError((e as Error).message, { cause: e });
  }
}

const dealerArg: EnumArgDef = {
  type: "enum",
  options: ["ttp", "tfp-unsafe"],
  default: "ttp",
  description: "Correlated randomness: ttp (separate process) or tfp-unsafe (party 0; insecure)",
};
const insecureArg: BooleanArgDef = {
  type: "boolean",
  description: "Unencrypted links (loopback benchmarks only; all nodes must agree)",
};
const jobsHelp = `Built-in jobs: ${
  Object.entries(BUILTIN_JOBS).map(([k, v]) => `${k} (${v.about})`).join("; ")
}`;

/**
 * The `keygen`, `ttp`, `serve` and `launch` commands; `programArgs` are the words after
 * `--` on the command line.
 *
 * @example
 * ```ts
 * import { networkCommands } from "./commands.ts";
 * console.log(typeof networkCommands(["--size", "8"]).serve); // "object"
 * ```
 */
export function networkCommands(programArgs: string[]): Record<string, CommandDef> {
  const keygen = defineCommand({
    meta: { name: "keygen", description: "Write a new long-term key pair; print its public key" },
    args: {
      out: { type: "string", required: true, description: "Key file to write (mode 0600)" },
      force: { type: "boolean", description: "Overwrite an existing file" },
    },
    async run({ args }) {
      const exists = await Deno.stat(args.out).then(() => true, () => false);
      if (exists && !args.force) {
        throw new UsageError(`${args.out} exists; pass --force to overwrite it`);
      }
      const kp = generateKeyPair();
      await writeKeyFile(args.out, kp);
      console.log(encodePublicKey(kp.publicKey));
    },
  });

  const ttp = defineCommand({
    meta: { name: "ttp", description: "Run the trusted third party (the ttp dealer)" },
    args: {
      cluster: { type: "string", required: true, description: "Cluster file (with a ttp entry)" },
      key: { type: "string", required: true, description: "The TTP's key file" },
      jobs: { type: "string", description: "Exit after this many jobs (default: serve forever)" },
      insecure: insecureArg,
    },
    async run({ args }) {
      const [cluster, keyPair] = await files(args.cluster, args.key);
      if (!cluster.ttp) throw new UsageError(`${args.cluster} has no "ttp" entry`);
      const jobs = args.jobs === undefined ? undefined : int(args.jobs, "jobs", 1);
      const log = logger("ttp");
      log(
        `listening on ${cluster.ttp.host}:${cluster.ttp.port} for ${cluster.parties.length} parties`,
      );
      try {
        await runTtpService({ cluster, keyPair, insecure: args.insecure, jobs, log });
      } catch (e) {
        log(`error: ${(e as Error).message}`);
        throw new ExitError(1);
      }
    },
  });

  const serveCmd = defineCommand({
    meta: {
      name: "serve",
      description: "Run one party: form the mesh, run each job (SPMD), print its result. " +
        jobsHelp,
    },
    args: {
      program: { type: "positional", required: false, description: "Built-in job or module" },
      cluster: { type: "string", required: true, description: "Cluster file" },
      party: { type: "string", required: true, description: "This party's id (0..n-1)" },
      key: { type: "string", required: true, description: "This party's key file" },
      dealer: dealerArg,
      insecure: insecureArg,
      jobs: { type: "string", description: "Comma-separated jobs to run one after another" },
      follow: { type: "boolean", description: "Run the jobs party 0 announces (built-ins)" },
      "allow-modules": { type: "boolean", description: "With --follow: also run modules" },
      "out-dir": { type: "string", description: "Write each job's full result here" },
      ring: { type: "enum", options: ["64", "32"], default: "64", description: "Ring bits" },
      device: {
        type: "enum",
        options: ["cpu", "webgpu"],
        default: "cpu",
        description: "Device for local kernels",
      },
      "frac-bits": { type: "string", default: "16", description: "Fixed-point fraction bits" },
      "connect-timeout": { type: "string", default: "30", description: "Mesh deadline (s)" },
      timeout: { type: "string", default: "120", description: "Wait per message (s)" },
    },
    async run({ args }) {
      const named = [args.program, args.jobs].filter(Boolean).length;
      if (named + (args.follow ? 1 : 0) !== 1) {
        throw new UsageError("give exactly one of: a program, --jobs a,b,... or --follow");
      }
      const names = args.jobs ? args.jobs.split(",").filter(Boolean) : [args.program!];
      const party = int(args.party, "party");
      const [cluster, keyPair] = await files(args.cluster, args.key);
      const log = logger(`p${party}`);
      let reports;
      try {
        reports = await serve({
          cluster,
          keyPair,
          party,
          jobs: args.follow ? "follow" : names.map((name) => ({ name, args: programArgs })),
          dealer: args.dealer as "ttp" | "tfp-unsafe",
          insecure: args.insecure,
          ring: Number(args.ring) as Ring,
          device: args.device as "cpu" | "webgpu",
          fracBits: int(args["frac-bits"], "frac-bits"),
          connectTimeoutMs: int(args["connect-timeout"], "connect-timeout", 1) * 1000,
          timeoutMs: int(args.timeout, "timeout", 1) * 1000,
          allowModules: args["allow-modules"],
          outDir: args["out-dir"],
          log,
        });
      } catch (e) {
        if (e instanceof UsageError) throw e;
        log(`error: ${(e as Error).name}: ${(e as Error).message}`);
        throw new ExitError(1);
      }
      const failed = reports.filter((r) => !r.ok).length;
      if (failed > 0) throw new ExitError(1, `${failed} of ${reports.length} job(s) failed`);
    },
  });

  const launchCmd = defineCommand({
    meta: {
      name: "launch",
      description: "Run all parties (and the TTP) as local processes on 127.0.0.1. " + jobsHelp,
    },
    args: {
      program: { type: "positional", required: false, description: "Built-in job or module" },
      parties: { type: "string", required: true, description: "Number of parties (>= 2)" },
      dealer: dealerArg,
      insecure: insecureArg,
      jobs: { type: "string", description: "Comma-separated jobs to run one after another" },
      "out-dir": { type: "string", description: "Write each party's results here" },
      keep: { type: "boolean", description: "Keep the temporary keys and cluster file" },
      ring: { type: "enum", options: ["64", "32"], default: "64", description: "Ring bits" },
      "frac-bits": { type: "string", default: "16", description: "Fixed-point fraction bits" },
      device: {
        type: "enum",
        options: ["cpu", "webgpu"],
        default: "cpu",
        description: "Device for local kernels",
      },
      timeout: { type: "string", default: "0", description: "Stop everything after s seconds" },
    },
    async run({ args }) {
      if (!!args.program === !!args.jobs) {
        throw new UsageError("give exactly one of: a program or --jobs a,b,...");
      }
      const jobs = args.jobs ? args.jobs.split(",").filter(Boolean) : [args.program!];
      const r = await launch({
        parties: int(args.parties, "parties", 2),
        jobs,
        args: programArgs,
        dealer: args.dealer as "ttp" | "tfp-unsafe",
        insecure: args.insecure,
        outDir: args["out-dir"],
        keep: args.keep,
        serveArgs: [
          "--device",
          String(args.device),
          "--ring",
          String(args.ring),
          "--frac-bits",
          String(int(args["frac-bits"], "frac-bits")),
        ],
        timeoutS: int(args.timeout, "timeout"),
      });
      if (r.code !== 0) throw new ExitError(r.code, `failed: ${r.firstFailure ?? "a party"}`);
    },
  });

  return { keygen, ttp, serve: serveCmd, launch: launchCmd } as Record<string, CommandDef>;
}
