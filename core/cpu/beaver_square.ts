/**
 * The fused finish of a Beaver square on the CPU: with a square pair (a, c = a * a) and the
 * opened `e = x - a`, each party's share of x * x is `z = c + 2 e a`, plus `e * e` on the
 * party that adds it. One pass and one multiplication per element (`c + e (2 a + e)` on
 * that party, `c + e (2 a)` on the others) instead of `beaverMul`'s two with `b = a`,
 * `f = e`; the variant with the 2-party truncation also drops its one (party 0) or three
 * (the other party) passes over the product.
 *
 * @example
 * ```ts
 * import { beaverSquare } from "./beaver_square.ts";
 * import { RingTensor } from "../ring.ts";
 * const t = (v: bigint) => RingTensor.fromBigInts([v], [1]);
 * // 3 + 2*4*1 + 4*4
 * console.log(beaverSquare(t(1n), t(3n), t(4n), true).toBigInts()); // [27n]
 * ```
 * @module
 */
import type { Opened, RingBuffer } from "../device.ts";
import type { RingTensor } from "../ring.ts";
import { fmtShape, sameShape } from "../shape.ts";
import { generatedTruncLoop, negWords, sarWords } from "./beaver_mul.ts";
import { asCpu } from "./check.ts";
import { type Alloc, freshAlloc } from "./pool.ts";
import { WARM_SIZE, warmArrays, warmLoop, warmOnce } from "./warm.ts";

type B64 = BigUint64Array;
type U32 = Uint32Array;

type Loop64 = (o: B64, a: B64, c: B64, e: B64, p: B64, n: number) => void;

// `p` is the peer's part of e when the opened value comes in two parts (else unread).
const squareEe64: Loop64 = (o, a, c, e, _p, n) => {
  for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, c[i] + e[i] * (a[i] + a[i] + e[i]));
};

const square64: Loop64 = (o, a, c, e, _p, n) => {
  for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, c[i] + e[i] * (a[i] + a[i]));
};

const squareEe64Split: Loop64 = (o, a, c, e, p, n) => {
  for (let i = 0; i < n; i++) {
    o[i] = BigInt.asUintN(64, c[i] + (e[i] + p[i]) * (a[i] + a[i] + e[i] + p[i]));
  }
};

const square64Split: Loop64 = (o, a, c, e, p, n) => {
  for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, c[i] + (e[i] + p[i]) * (a[i] + a[i]));
};

function square32(o: U32, a: U32, c: U32, e: U32, p: U32 | null, n: number, ee: boolean): void {
  if (p) {
    if (ee) {
      for (let i = 0; i < n; i++) o[i] = c[i] + Math.imul(e[i] + p[i], a[i] + a[i] + e[i] + p[i]);
    } else for (let i = 0; i < n; i++) o[i] = c[i] + Math.imul(e[i] + p[i], a[i] + a[i]);
  } else if (ee) { for (let i = 0; i < n; i++) o[i] = c[i] + Math.imul(e[i], a[i] + a[i] + e[i]); }
  else for (let i = 0; i < n; i++) o[i] = c[i] + Math.imul(e[i], a[i] + a[i]);
}

/** [a, c, e, peer part or null], checked to share one ring and shape. */
function operands(name: string, a: RingBuffer, c: RingBuffer, e: Opened) {
  const parts = Array.isArray(e) ? e as readonly RingBuffer[] : [e as RingBuffer];
  if (parts.length < 1 || parts.length > 2) {
    throw new TypeError(`${name}: e must be one tensor or two parts, got ${parts.length}`);
  }
  const ts = [a, c, ...parts].map((x) => asCpu(x, name));
  const t0 = ts[0];
  if (ts.some((t) => t.ring !== t0.ring || !sameShape(t.shape, t0.shape))) {
    throw new TypeError(
      `${name}: operands must share one ring and shape, got ${
        ts.map((t) => `Z_2^${t.ring} ${fmtShape(t.shape)}`).join(", ")
      }`,
    );
  }
  return { a: ts[0], c: ts[1], e: ts[2], p: ts.length === 4 ? ts[3] : null };
}

type Ops = ReturnType<typeof operands>;

function run64(loop: Loop64, t: Ops, alloc: Alloc): RingTensor {
  const out = alloc(64, t.a.shape, false);
  warmOnce(loop, () => {
    const w = warmArrays(5);
    warmLoop(() => loop(w[0], w[1], w[2], w[3], w[4], WARM_SIZE));
  });
  const d = (x: RingTensor) => x.data as B64;
  loop(d(out), d(t.a), d(t.c), d(t.e), t.p ? d(t.p) : d(t.e), out.size);
  return out;
}

/**
 * `c + 2*e*a (+ e*e when withEe)` elementwise mod 2^ring; `a`, `c`, `e` must have one shape
 * and ring (`TypeError` naming the shapes otherwise). Equals `beaverMul(a, a, c, e, e,
 * withEe)` word for word. `e` may be given as two parts `[mine, peer's]` of an opened value
 * (e = mine + peer's, summed in the pass: no tensor for e).
 *
 * @example
 * ```ts
 * import { beaverSquare } from "./beaver_square.ts";
 * import { RingTensor } from "../ring.ts";
 * const t = (v: bigint) => RingTensor.fromBigInts([v], [1], 32);
 * console.log(beaverSquare(t(1n), t(3n), t(4n), false).toBigInts()); // [11n]
 * ```
 */
export function beaverSquare(
  a: RingBuffer,
  c: RingBuffer,
  e: Opened,
  withEe: boolean,
  alloc: Alloc = freshAlloc,
): RingTensor {
  return square(operands("beaverSquare", a, c, e), withEe, alloc);
}

function square(t: Ops, withEe: boolean, alloc: Alloc): RingTensor {
  if (t.a.ring === 64) {
    const loop = t.p
      ? (withEe ? squareEe64Split : square64Split)
      : (withEe ? squareEe64 : square64);
    return run64(loop, t, alloc);
  }
  const out = alloc(32, t.a.shape, false);
  const d = (x: RingTensor) => x.data as U32;
  square32(d(out), d(t.a), d(t.c), d(t.e), t.p ? d(t.p) : null, out.size, withEe);
  return out;
}

/**
 * Z_2^64 loops of {@linkcode beaverSquareTrunc}, one per (party 0 or not, shift): V8 emits
 * native code for a BigInt shift only by a literal amount (see `beaver_mul.ts`), so each
 * amount gets its own loop, built once from a fixed template with the validated integer.
 */
const truncLoops = new Map<string, Loop64 | undefined>();

function truncLoop64(party0: boolean, drop: number, split: boolean): Loop64 | undefined {
  return generatedTruncLoop(
    truncLoops,
    `${party0}/${drop}/${split}`,
    drop,
    ["o", "a", "c", "e", "p", "n"],
    () => {
      // Party 0 adds e*e and shifts its share; the other party negates around the shift.
      const E = split ? "(e[i] + p[i])" : "e[i]";
      const body = party0
        ? `o[i] = BigInt.asUintN(64, BigInt.asIntN(64, c[i] + ${E} * (a[i] + a[i] + ${E})) >> ${drop}n);`
        : `o[i] = BigInt.asUintN(64, -(BigInt.asIntN(64, -(c[i] + ${E} * (a[i] + a[i]))) >> ${drop}n));`;
      return `for (let i = 0; i < n; i++) ${body}`;
    },
  );
}

/**
 * {@linkcode beaverSquare} followed by the 2-party local truncation of the share by `drop`
 * bits (SecureML; `protocols/kernels/trunc_a.ts`), in one pass: party 0 computes
 * `(c + 2*e*a + e*e) >> drop`, the other party `-((-(c + 2*e*a)) >> drop)`, with
 * arithmetic shifts; `e` may come in two parts as for `beaverSquare`. `RangeError` for
 * `drop` outside [0, ring); `TypeError` as for `beaverSquare`.
 *
 * @example
 * ```ts
 * import { beaverSquareTrunc } from "./beaver_square.ts";
 * import { RingTensor } from "../ring.ts";
 * const t = (v: bigint) => RingTensor.fromBigInts([v], [1]);
 * // (3 + 2*4*1 + 4*4) >> 2
 * console.log(beaverSquareTrunc(t(1n), t(3n), t(4n), true, 2).toBigInts()); // [6n]
 * ```
 */
export function beaverSquareTrunc(
  a: RingBuffer,
  c: RingBuffer,
  e: Opened,
  party0: boolean,
  drop: number,
  alloc: Alloc = freshAlloc,
): RingTensor {
  const ring = asCpu(a, "beaverSquareTrunc").ring;
  if (!Number.isInteger(drop) || drop < 0 || drop >= ring) {
    throw new RangeError(`beaverSquareTrunc: shift ${drop} is out of range [0, ${ring})`);
  }
  const t = operands("beaverSquareTrunc", a, c, e);
  if (drop === 0) return square(t, party0, alloc);
  const loop = ring === 64 ? truncLoop64(party0, drop, t.p !== null) : undefined;
  if (loop) return run64(loop, t, alloc);
  const z = square(t, party0, alloc);
  const n = z.size;
  if (ring === 32) {
    // Z_2^32 in place: plain int32 shifts are native.
    const o = z.data as U32;
    if (party0) { for (let i = 0; i < n; i++) o[i] = (o[i] | 0) >> drop; }
    else for (let i = 0; i < n; i++) o[i] = -((-o[i] | 0) >> drop);
    return z;
  }
  // Z_2^64 without codegen: in-place word shifts.
  const w = new Uint32Array(z.data.buffer, z.data.byteOffset, 2 * n);
  if (!party0) negWords(w);
  sarWords(w, drop);
  if (!party0) negWords(w);
  return z;
}
