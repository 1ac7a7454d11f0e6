/**
 * `@sharetensor/cli`: the command line of sharetensor (`deno run -A cli/main.ts --help`).
 *
 * ```sh
 * # all parties on this machine (fresh keys, free 127.0.0.1 ports, a TTP process):
 * deno run -A cli/main.ts launch --parties 3 w1 -- --size 1000
 * deno run -A cli/main.ts launch --parties 2 --dealer tfp-unsafe --jobs hello,my_job.ts
 *
 * # real deployment: one key pair per node, one shared cluster file
 * deno run -A cli/main.ts keygen --out p0.key          # prints the public key
 * deno run -A cli/main.ts ttp --cluster c.json --key ttp.key
 * deno run -A cli/main.ts serve --cluster c.json --party 0 --key p0.key --jobs a.ts,b.ts
 * deno run -A cli/main.ts serve --cluster c.json --party 1 --key p1.key --follow
 * ```
 *
 * A job is a built-in name (`hello`, `w1`, `w3`) or a module exporting
 * `main(ctx, args, env)` (see `job.ts`), run by every party (SPMD); words after `--` are
 * its `args`. Each job gets its own mesh and context; party 0 checks that every party
 * runs the same job, a failed job is reported and the next one runs. Results go to stdout
 * as one JSON line per job; logs go to stderr tagged `[p<i>]` / `[ttp]`. Exit codes: 0 ok,
 * 1 a job or the network failed, 2 a usage error.
 *
 * @module
 */
export {};
