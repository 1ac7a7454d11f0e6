/**
 * The fused finish of an elementwise Beaver product on the CPU: one pass computing
 * `z = c + e * b + a * f` (and `+ e * f` on the party that adds it, as `c + e (b + f) + a f`)
 * instead of six kernels with five temporaries: ~1.9 ms against ~6.7 ms for 1M elements of
 * Z_2^64 on the dev VM, before counting the temporaries' allocation.
 *
 * @example
 * ```ts
 * import { beaverMul } from "./beaver_mul.ts";
 * import { RingTensor } from "../ring.ts";
 * const t = (v: bigint) => RingTensor.fromBigInts([v], [1]);
 * console.log(beaverMul(t(1n), t(2n), t(3n), t(4n), t(5n), true).toBigInts()); // [36n]
 * ```
 * @module
 */
import type { Opened, RingBuffer } from "../device.ts";
import type { RingTensor } from "../ring.ts";
import { fmtShape, sameShape } from "../shape.ts";
import { asCpu } from "./check.ts";
import { type Alloc, freshAlloc } from "./pool.ts";
import { WARM_SIZE, warmArrays, warmLoop, warmOnce } from "./warm.ts";

type B64 = BigUint64Array;
type U32 = Uint32Array;

/** `p`, `q`: the peer's parts of e and f when the opened values come in two parts (else unread). */
type Loop64 = (o: B64, a: B64, b: B64, c: B64, e: B64, f: B64, p: B64, q: B64, n: number) => void;

const fusedEf64: Loop64 = (o, a, b, c, e, f, _p, _q, n) => {
  for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, c[i] + e[i] * (b[i] + f[i]) + a[i] * f[i]);
};

const fused64: Loop64 = (o, a, b, c, e, f, _p, _q, n) => {
  for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, c[i] + e[i] * b[i] + a[i] * f[i]);
};

// The parts are summed into locals under `BigInt.asUintN(64, ...)`: V8 then keeps them as
// machine words (~2.8 ms for 1M elements with the shift, against ~3.5 ms with the sums
// inlined into the expression, and ~30 ms without the local for the non-shifting loop).
const fusedEf64Split: Loop64 = (o, a, b, c, e, f, p, q, n) => {
  for (let i = 0; i < n; i++) {
    const ei = BigInt.asUintN(64, e[i] + p[i]);
    const fi = BigInt.asUintN(64, f[i] + q[i]);
    o[i] = BigInt.asUintN(64, c[i] + ei * (b[i] + fi) + a[i] * fi);
  }
};

const fused64Split: Loop64 = (o, a, b, c, e, f, p, q, n) => {
  for (let i = 0; i < n; i++) {
    const ei = BigInt.asUintN(64, e[i] + p[i]);
    const fi = BigInt.asUintN(64, f[i] + q[i]);
    o[i] = BigInt.asUintN(64, c[i] + ei * b[i] + a[i] * fi);
  }
};

function fused32(
  o: U32,
  a: U32,
  b: U32,
  c: U32,
  e: U32,
  f: U32,
  p: U32 | null,
  q: U32 | null,
  n: number,
  ef: boolean,
): void {
  if (p && q) {
    if (ef) {
      for (let i = 0; i < n; i++) {
        const fi = f[i] + q[i];
        o[i] = c[i] + Math.imul(e[i] + p[i], b[i] + fi) + Math.imul(a[i], fi);
      }
    } else {
      for (let i = 0; i < n; i++) {
        o[i] = c[i] + Math.imul(e[i] + p[i], b[i]) + Math.imul(a[i], f[i] + q[i]);
      }
    }
  } else if (ef) {
    for (let i = 0; i < n; i++) o[i] = c[i] + Math.imul(e[i], b[i] + f[i]) + Math.imul(a[i], f[i]);
  } else {
    for (let i = 0; i < n; i++) o[i] = c[i] + Math.imul(e[i], b[i]) + Math.imul(a[i], f[i]);
  }
}

/** The parts of an opened value: one tensor, or this party's and the peer's. */
function partsOf(name: string, x: Opened): readonly RingBuffer[] {
  const parts = Array.isArray(x) ? x as readonly RingBuffer[] : [x as RingBuffer];
  if (parts.length < 1 || parts.length > 2) {
    throw new TypeError(
      `${name}: an opened value must be one tensor or two parts, got ${parts.length}`,
    );
  }
  return parts;
}

/**
 * [a, b, c, e, f] and the peer's parts p, q of e and f (null when whole), checked to share
 * one ring and shape. Where only one of e and f comes in parts, that one is summed first
 * (a fresh tensor), so that the loops see both whole or both in parts.
 */
function operands(name: string, a: RingBuffer, b: RingBuffer, c: RingBuffer, e: Opened, f: Opened) {
  const ep = partsOf(name, e), fp = partsOf(name, f);
  const ts = [a, b, c, ...ep, ...fp].map((x) => asCpu(x, name));
  const t0 = ts[0];
  if (ts.some((t) => t.ring !== t0.ring || !sameShape(t.shape, t0.shape))) {
    throw new TypeError(
      `${name}: operands must share one ring and shape, got ${
        ts.map((t) => `Z_2^${t.ring} ${fmtShape(t.shape)}`).join(", ")
      }`,
    );
  }
  let [te, tp] = [ts[3], ep.length === 2 ? ts[4] : null];
  let [tf, tq] = [ts[3 + ep.length], fp.length === 2 ? ts[4 + ep.length] : null];
  if ((tp === null) !== (tq === null)) {
    if (tp) [te, tp] = [sum(te, tp), null];
    if (tq) [tf, tq] = [sum(tf, tq), null];
  }
  return { a: ts[0], b: ts[1], c: ts[2], e: te, f: tf, p: tp, q: tq };
}

type Ops = ReturnType<typeof operands>;

/** `x + y` mod 2^ring into a fresh tensor (the rare mixed case of {@linkcode operands}). */
function sum(x: RingTensor, y: RingTensor): RingTensor {
  const out = freshAlloc(x.ring, x.shape, false);
  if (x.ring === 64) {
    const [o, u, v] = [out, x, y].map((t) => t.data as B64);
    for (let i = 0; i < o.length; i++) o[i] = BigInt.asUintN(64, u[i] + v[i]);
  } else {
    const [o, u, v] = [out, x, y].map((t) => t.data as U32);
    for (let i = 0; i < o.length; i++) o[i] = u[i] + v[i];
  }
  return out;
}

function run64(loop: Loop64, t: Ops, alloc: Alloc): RingTensor {
  const out = alloc(64, t.a.shape, false);
  warmOnce(loop, () => {
    const w = warmArrays(8);
    warmLoop(() => loop(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], WARM_SIZE));
  });
  const d = (x: RingTensor) => x.data as B64;
  const p = t.p ? d(t.p) : d(t.e), q = t.q ? d(t.q) : d(t.f);
  loop(d(out), d(t.a), d(t.b), d(t.c), d(t.e), d(t.f), p, q, out.size);
  return out;
}

function product(t: Ops, withEf: boolean, alloc: Alloc): RingTensor {
  if (t.a.ring === 64) {
    const loop = t.p ? (withEf ? fusedEf64Split : fused64Split) : (withEf ? fusedEf64 : fused64);
    return run64(loop, t, alloc);
  }
  const out = alloc(32, t.a.shape, false);
  const d = (x: RingTensor) => x.data as U32;
  const p = t.p ? d(t.p) : null, q = t.q ? d(t.q) : null;
  fused32(d(out), d(t.a), d(t.b), d(t.c), d(t.e), d(t.f), p, q, out.size, withEf);
  return out;
}

/**
 * `c + e*b + a*f (+ e*f when withEf)` elementwise mod 2^ring; every operand must have the
 * same shape and ring (`TypeError` naming the shapes otherwise). `e` and `f` may each be
 * given as two parts `[mine, peer's]` of an opened value (e = mine + peer's, summed in the
 * pass: no tensor for e or f).
 *
 * @example
 * ```ts
 * import { beaverMul } from "./beaver_mul.ts";
 * import { RingTensor } from "../ring.ts";
 * const t = (v: bigint) => RingTensor.fromBigInts([v], [1], 32);
 * console.log(beaverMul(t(1n), t(2n), t(3n), t(4n), t(5n), false).toBigInts()); // [16n]
 * console.log(beaverMul(t(1n), t(2n), t(3n), [t(1n), t(3n)], [t(2n), t(3n)], false).toBigInts()); // [16n]
 * ```
 */
export function beaverMul(
  a: RingBuffer,
  b: RingBuffer,
  c: RingBuffer,
  e: Opened,
  f: Opened,
  withEf: boolean,
  alloc: Alloc = freshAlloc,
): RingTensor {
  return product(operands("beaverMul", a, b, c, e, f), withEf, alloc);
}

/**
 * Z_2^64 loops of {@linkcode beaverMulTrunc}, one per (party 0 or not, shift): V8 compiles a
 * BigInt shift to native code only for a literal amount (`>> 16n` runs ~10x faster than
 * `>> s` with `s` a variable), so each amount gets its own loop, built once from a fixed
 * template with the validated integer inserted. `undefined` where the host forbids
 * building functions from strings (the caller then takes separate kernels).
 */
const truncLoops = new Map<string, Loop64 | undefined>();
let codegen = true;

/**
 * Test hook: whether {@linkcode beaverMulTrunc} may build its Z_2^64 loops from strings
 * (else it takes the fused product then in-place word shifts, as on a host that forbids
 * it); returns the previous setting.
 *
 * @example
 * ```ts
 * import { setTruncCodegen } from "./beaver_mul.ts";
 * const old = setTruncCodegen(false);
 * setTruncCodegen(old);
 * ```
 */
export function setTruncCodegen(enabled: boolean): boolean {
  const old = codegen;
  codegen = enabled;
  return old;
}

/**
 * A loop generated from `source()` with parameters `params`, cached in `cache` under
 * `key`: undefined when codegen is off or the host forbids it. `drop` (spliced into the
 * source as a literal) is checked to be a shift in [1, 63] before `source` is called.
 *
 * @example
 * ```ts
 * import { generatedTruncLoop } from "./beaver_mul.ts";
 * const f = generatedTruncLoop<(x: number) => number>(new Map(), "k", 3, ["x"], () => "return x >> 3;");
 * console.log(f?.(16)); // 2
 * ```
 */
export function generatedTruncLoop<L>(
  cache: Map<string, L | undefined>,
  key: string,
  drop: number,
  params: readonly string[],
  source: () => string,
): L | undefined {
  if (!codegen) return undefined;
  if (cache.has(key)) return cache.get(key);
  if (!Number.isInteger(drop) || drop < 1 || drop > 63) throw new RangeError(`bad shift ${drop}`);
  let loop: L | undefined;
  try {
    loop = new Function(...params, source()) as L;
  } catch {
    loop = undefined;
  }
  cache.set(key, loop);
  return loop;
}

function truncLoop64(party0: boolean, drop: number, split: boolean): Loop64 | undefined {
  return generatedTruncLoop(
    truncLoops,
    `${party0}/${drop}/${split}`,
    drop,
    ["o", "a", "b", "c", "e", "f", "p", "q", "n"],
    () => {
      // Party 0 adds e*f and shifts its share; the other party negates around the shift.
      const [E, F] = split ? ["ei", "fi"] : ["e[i]", "f[i]"];
      const head = split
        ? "const ei = BigInt.asUintN(64, e[i] + p[i]); const fi = BigInt.asUintN(64, f[i] + q[i]); "
        : "";
      const body = party0
        ? `o[i] = BigInt.asUintN(64, BigInt.asIntN(64, c[i] + ${E} * (b[i] + ${F}) + a[i] * ${F}) >> ${drop}n);`
        : `o[i] = BigInt.asUintN(64, -(BigInt.asIntN(64, -(c[i] + ${E} * b[i] + a[i] * ${F})) >> ${drop}n));`;
      return `for (let i = 0; i < n; i++) { ${head}${body} }`;
    },
  );
}

/**
 * {@linkcode beaverMul} followed by the 2-party local truncation of the share by `drop`
 * bits (SecureML; see `protocols/kernels/trunc_a.ts`), in one pass: party 0 computes
 * `(c + e*b + a*f + e*f) >> drop`, the other party `-((-(c + e*b + a*f)) >> drop)`, with
 * arithmetic shifts; `e` and `f` may come in two parts as for `beaverMul`. Saves the
 * truncation's one (party 0) or three (the other) passes over the product. `RangeError` for `drop` outside [0, ring); `TypeError` as for `beaverMul`.
 *
 * @example
 * ```ts
 * import { beaverMulTrunc } from "./beaver_mul.ts";
 * import { RingTensor } from "../ring.ts";
 * const t = (v: bigint) => RingTensor.fromBigInts([v], [1]);
 * // (3 + 4*2 + 1*5 + 4*5) >> 2
 * console.log(beaverMulTrunc(t(1n), t(2n), t(3n), t(4n), t(5n), true, 2).toBigInts()); // [9n]
 * ```
 */
export function beaverMulTrunc(
  a: RingBuffer,
  b: RingBuffer,
  c: RingBuffer,
  e: Opened,
  f: Opened,
  party0: boolean,
  drop: number,
  alloc: Alloc = freshAlloc,
): RingTensor {
  const ring = asCpu(a, "beaverMulTrunc").ring;
  if (!Number.isInteger(drop) || drop < 0 || drop >= ring) {
    throw new RangeError(`beaverMulTrunc: shift ${drop} is out of range [0, ${ring})`);
  }
  const t = operands("beaverMulTrunc", a, b, c, e, f);
  if (drop === 0) return product(t, party0, alloc);
  if (ring === 32) {
    const out = product(t, party0, alloc);
    const o = out.data as U32, n = out.size;
    // Z_2^32 in place: plain int32 shifts are native.
    if (party0) { for (let i = 0; i < n; i++) o[i] = (o[i] | 0) >> drop; }
    else for (let i = 0; i < n; i++) o[i] = -((-o[i] | 0) >> drop);
    return out;
  }
  const loop = truncLoop64(party0, drop, t.p !== null);
  if (loop) return run64(loop, t, alloc);
  const z = product(t, party0, alloc);
  const w = new Uint32Array(z.data.buffer, z.data.byteOffset, 2 * z.size);
  if (!party0) negWords(w);
  sarWords(w, drop);
  if (!party0) negWords(w);
  return z;
}

/**
 * In-place arithmetic right shift by `k` (1 <= k < 64) of 64-bit words given as (low, high)
 * 32-bit pairs.
 *
 * @example
 * ```ts
 * import { sarWords } from "./beaver_mul.ts";
 * const w = new Uint32Array([0, 0x8000_0000]); // -2^63
 * sarWords(w, 62);
 * console.log(w); // Uint32Array [0xffff_fffe, 0xffff_ffff] (-2)
 * ```
 */
export function sarWords(w: U32, k: number): void {
  for (let i = 0; i < w.length; i += 2) {
    const hi = w[i + 1];
    if (k < 32) {
      w[i] = (w[i] >>> k) | (hi << (32 - k));
      w[i + 1] = (hi | 0) >> k;
    } else {
      w[i] = (hi | 0) >> (k - 32);
      w[i + 1] = (hi | 0) >> 31;
    }
  }
}

/**
 * In-place negation mod 2^64 of 64-bit words given as (low, high) 32-bit pairs.
 *
 * @example
 * ```ts
 * import { negWords } from "./beaver_mul.ts";
 * const w = new Uint32Array([1, 0]);
 * negWords(w);
 * console.log(w); // Uint32Array [0xffff_ffff, 0xffff_ffff] (-1)
 * ```
 */
export function negWords(w: U32): void {
  for (let i = 0; i < w.length; i += 2) {
    const lo = w[i];
    w[i] = -lo;
    w[i + 1] = ~w[i + 1] + (lo === 0 ? 1 : 0);
  }
}
