/**
 * `@sharetensor/cli`: the command line of sharetensor. Run `deno run -A cli/main.ts --help`.
 * Commands: `demo` (a small end-to-end run), and, as the networking issue lands, `serve`
 * (one party), `ttp` (the dealer), `launch` (all parties locally) and `keygen`.
 *
 * @module
 */
export {};
