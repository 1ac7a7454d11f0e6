/**
 * Boolean circuits over XOR-shared bit planes (see `planes.ts`), written as generators:
 * each `yield` is one round of ANDs (`[xs, ys]`, answered with the planes `xs[i] & ys[i]`);
 * XOR and NOT are local. {@linkcode drive} runs a circuit with a real AND, and
 * {@linkcode schedule} runs it on dummy planes to count the planes ANDed per round, so the
 * declared costs of the kernels come from the same code that runs.
 *
 * - {@linkcode csa}: carry-save adders (3 -> 2 words, one AND round each level) reduce the
 *   n parties' input words to two.
 * - {@linkcode msbOfSum}: the top bit of u + v: msb(u) ^ msb(v) ^ carry into the top bit,
 *   the carry from a tree of (G, P) groups that halves every level; the lowest group needs
 *   no P (its carry-in is 0). For 64 bits: 63 + 61 + 31 + 15 + 7 + 3 + 1 = 181 ANDed bits,
 *   7 rounds.
 * - {@linkcode addPlanes}: u + v with a Sklansky parallel-prefix carry (log2 levels, each
 *   upper half of a block takes the carry of its lower half).
 * - {@linkcode allOnes}: AND of all planes by a halving tree (the zero test).
 *
 * @example
 * ```ts
 * import { allOnes, schedule } from "./circuits.ts";
 * console.log(schedule((z) => allOnes(Array(64).fill(z)))); // [32, 16, 8, 4, 2, 1]
 * ```
 * @module
 */
import { xorPlane } from "./planes.ts";

/** One round of ANDs: pairs of planes. */
export type AndRound = [xs: Uint32Array[], ys: Uint32Array[]];
/** A circuit: yields AND rounds, gets their results, returns `T`. */
export type Circuit<T> = Generator<AndRound, T, Uint32Array[]>;
/** Runs one AND round for real. */
export type AndFn = (xs: Uint32Array[], ys: Uint32Array[]) => Promise<Uint32Array[]>;

/**
 * Runs `c`, answering each round with `and`.
 *
 * @example
 * ```ts
 * import { allOnes, drive } from "./circuits.ts";
 * const and = (xs: Uint32Array[], ys: Uint32Array[]) =>
 *   Promise.resolve(xs.map((x, i) => x.map((w, j) => w & ys[i][j])));
 * console.log((await drive(allOnes([new Uint32Array([3]), new Uint32Array([6])]), and))[0]); // 2
 * ```
 */
export async function drive<T>(c: Circuit<T>, and: AndFn): Promise<T> {
  let r = c.next();
  while (!r.done) {
    const [xs, ys] = r.value;
    r = c.next(xs.length === 0 ? [] : await and(xs, ys));
  }
  return r.value;
}

/**
 * Planes ANDed in each round of the circuit that `make` builds from a dummy zero plane.
 *
 * @example
 * ```ts
 * import { msbOfSum, schedule } from "./circuits.ts";
 * console.log(schedule((z) => msbOfSum(Array(64).fill(z), Array(64).fill(z))));
 * // [63, 61, 31, 15, 7, 3, 1]
 * ```
 */
export function schedule(make: (zero: Uint32Array) => Circuit<unknown>): number[] {
  const zero = new Uint32Array(1);
  const c = make(zero);
  const out: number[] = [];
  let r = c.next();
  while (!r.done) {
    const n = r.value[0].length;
    if (n > 0) out.push(n);
    r = c.next(r.value[0].map(() => new Uint32Array(1)));
  }
  return out;
}

/**
 * Carry-save reduction of `inputs` (each `k` planes, bit 0 first) to two words with the
 * same sum mod 2^k: every level replaces each triple (a, b, c) by a ^ b ^ c and
 * maj(a, b, c) << 1, with maj = ((a ^ c) & (b ^ c)) ^ c. One input is paired with `zero`.
 *
 * @example
 * ```ts
 * import { csa, schedule } from "./circuits.ts";
 * console.log(schedule((z) => csa([Array(8).fill(z), Array(8).fill(z), Array(8).fill(z)], z))); // [7]
 * ```
 */
export function* csa(
  inputs: readonly Uint32Array[][],
  zero: Uint32Array,
): Circuit<[Uint32Array[], Uint32Array[]]> {
  let cur = inputs.slice();
  if (cur.length === 1) return [cur[0], cur[0].map(() => zero)];
  while (cur.length > 2) {
    const k = cur[0].length;
    const g = Math.floor(cur.length / 3);
    const xs: Uint32Array[] = [];
    const ys: Uint32Array[] = [];
    for (let i = 0; i < g; i++) {
      const [a, b, c] = cur.slice(3 * i, 3 * i + 3);
      for (let j = 0; j < k - 1; j++) {
        xs.push(xorPlane(a[j], c[j]));
        ys.push(xorPlane(b[j], c[j]));
      }
    }
    const got = yield [xs, ys];
    const next: Uint32Array[][] = [];
    for (let i = 0; i < g; i++) {
      const [a, b, c] = cur.slice(3 * i, 3 * i + 3);
      next.push(a.map((p, j) => xorPlane(xorPlane(p, b[j]), c[j])));
      const carry = [zero];
      for (let j = 0; j < k - 1; j++) carry.push(xorPlane(got[i * (k - 1) + j], c[j]));
      next.push(carry);
    }
    cur = [...next, ...cur.slice(3 * g)];
  }
  return [cur[0], cur[1]];
}

/**
 * The top bit (plane k-1) of u + v for words of `k` planes.
 *
 * @example
 * ```ts
 * import { msbOfSum, schedule } from "./circuits.ts";
 * console.log(schedule((z) => msbOfSum(Array(32).fill(z), Array(32).fill(z)))); // [31, 29, 15, 7, 3, 1]
 * ```
 */
export function* msbOfSum(
  u: readonly Uint32Array[],
  v: readonly Uint32Array[],
): Circuit<Uint32Array> {
  const k = u.length;
  const top = xorPlane(u[k - 1], v[k - 1]);
  if (k === 1) return top;
  let gs = yield [u.slice(0, k - 1), v.slice(0, k - 1)];
  let ps: (Uint32Array | null)[] = u.slice(0, k - 1).map((p, i) =>
    i === 0 ? null : xorPlane(p, v[i])
  );
  while (gs.length > 1) {
    const pairs = gs.length >> 1;
    const xs: Uint32Array[] = [];
    const ys: Uint32Array[] = [];
    for (let j = 0; j < pairs; j++) {
      const lo = 2 * j;
      const hi = lo + 1;
      xs.push(ps[hi]!);
      ys.push(gs[lo]);
      if (ps[lo] !== null) {
        xs.push(ps[hi]!);
        ys.push(ps[lo]!);
      }
    }
    const got = yield [xs, ys];
    const g2: Uint32Array[] = [];
    const p2: (Uint32Array | null)[] = [];
    let at = 0;
    for (let j = 0; j < pairs; j++) {
      const lo = 2 * j;
      g2.push(xorPlane(gs[lo + 1], got[at++]));
      p2.push(ps[lo] === null ? null : got[at++]);
    }
    if (gs.length & 1) {
      g2.push(gs[gs.length - 1]);
      p2.push(ps[gs.length - 1]);
    }
    gs = g2;
    ps = p2;
  }
  return xorPlane(top, gs[0]);
}

/**
 * All `k` planes of u + v mod 2^k (Sklansky prefix carries).
 *
 * @example
 * ```ts
 * import { addPlanes, schedule } from "./circuits.ts";
 * console.log(schedule((z) => addPlanes(Array(8).fill(z), Array(8).fill(z)))); // [7, 5, 4, 3]
 * ```
 */
export function* addPlanes(
  u: readonly Uint32Array[],
  v: readonly Uint32Array[],
): Circuit<Uint32Array[]> {
  const k = u.length;
  const p = u.map((x, i) => xorPlane(x, v[i]));
  const m = k - 1;
  if (m === 0) return p;
  const gs = yield [u.slice(0, m), v.slice(0, m)];
  const ps = p.slice(0, m);
  for (let j = 0; (1 << j) < m; j++) {
    const d = 1 << j;
    const xs: Uint32Array[] = [];
    const ys: Uint32Array[] = [];
    const todo: [number, boolean][] = [];
    for (let i = 0; i < m; i++) {
      if ((i & d) === 0) continue;
      const src = (i & ~(d - 1)) - 1;
      const needP = (i >> (j + 1)) > 0;
      xs.push(ps[i]);
      ys.push(gs[src]);
      if (needP) {
        xs.push(ps[i]);
        ys.push(ps[src]);
      }
      todo.push([i, needP]);
    }
    const got = yield [xs, ys];
    let at = 0;
    for (const [i, needP] of todo) {
      gs[i] = xorPlane(gs[i], got[at++]);
      if (needP) ps[i] = got[at++];
    }
  }
  return p.map((x, i) => i === 0 ? x : xorPlane(x, gs[i - 1]));
}

/**
 * The AND of all `planes` (a halving tree).
 *
 * @example
 * ```ts
 * import { allOnes, schedule } from "./circuits.ts";
 * console.log(schedule((z) => allOnes(Array(5).fill(z)))); // [2, 1, 1]
 * ```
 */
export function* allOnes(planes: readonly Uint32Array[]): Circuit<Uint32Array> {
  let cur = planes.slice();
  while (cur.length > 1) {
    const half = cur.length >> 1;
    const xs = cur.filter((_, i) => i < 2 * half && (i & 1) === 0);
    const ys = cur.filter((_, i) => i < 2 * half && (i & 1) === 1);
    const got = yield [xs, ys];
    cur = cur.length & 1 ? [...got, cur[cur.length - 1]] : got;
  }
  return cur[0];
}
