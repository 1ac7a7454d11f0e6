/**
 * Finding the secure operations a workload needs, wherever they live today: a method of
 * `SecretTensor`, an export of `@sharetensor/protocols`, or a module of the function
 * library that the package does not export yet. A missing op makes its workloads
 * "pending" rather than failing the suite.
 *
 * @example
 * ```ts
 * import { resolveOp } from "./ops.ts";
 * console.log(typeof (await resolveOp("relu"))); // "function" once comparisons exist
 * ```
 * @module
 */
import * as protocols from "@sharetensor/protocols";
import type { SecretTensor } from "@sharetensor/protocols";

/** A secure op on a secret tensor (extra arguments as the op takes them). */
export type SecureOp = (x: SecretTensor, ...args: unknown[]) => Promise<unknown>;

/** Internal modules that may hold an op (relative to this file). */
const MODULES: Record<string, string[]> = {
  exp: ["../protocols/functions/exp.ts"],
  reciprocal: ["../protocols/functions/reciprocal.ts"],
  softmax: ["../protocols/functions/softmax.ts"],
  gelu: ["../protocols/functions/gelu.ts"],
  sigmoid: ["../protocols/functions/sigmoid.ts"],
  layerNorm: ["../protocols/functions/layer_norm.ts", "../protocols/functions/layernorm.ts"],
  erf: ["../protocols/functions/erf.ts"],
};

/**
 * The op `name`, or null when this build has none.
 *
 * @example
 * ```ts
 * import { resolveOp } from "./ops.ts";
 * console.log(await resolveOp("no_such_op")); // null
 * ```
 */
export async function resolveOp(name: string): Promise<SecureOp | null> {
  const proto = protocols.SecretTensor.prototype as unknown as Record<string, unknown>;
  if (typeof proto[name] === "function") {
    const m = proto[name] as (...a: unknown[]) => Promise<unknown>;
    return (x, ...args) => m.apply(x, args);
  }
  const exported = (protocols as unknown as Record<string, unknown>)[name];
  if (typeof exported === "function") return exported as SecureOp;
  for (const path of MODULES[name] ?? []) {
    const url = new URL(path, import.meta.url);
    try {
      await Deno.stat(url);
    } catch {
      continue;
    }
    const mod = await import(url.href);
    if (typeof mod[name] === "function") return mod[name] as SecureOp;
  }
  return null;
}

/**
 * The names among `names` that this build lacks.
 *
 * @example
 * ```ts
 * import { missingOps } from "./ops.ts";
 * console.log(await missingOps(["mul"])); // []
 * ```
 */
export async function missingOps(names: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const n of names) if (!(await resolveOp(n))) out.push(n);
  return out;
}
