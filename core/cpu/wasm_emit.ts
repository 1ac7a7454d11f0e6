/**
 * A tiny WebAssembly assembler: enough of the binary format (types, functions, one exported
 * memory, exports, code with locals, structured control flow, i32/i64 and SIMD v128
 * instructions) to write the CPU device's hot kernels by hand in TypeScript, with no
 * wat2wasm or clang at build time. The module bytes are produced at startup.
 *
 * Reference: WebAssembly Core Specification 2.0, chapter 5 (binary format) and the SIMD
 * opcode table.
 *
 * @example
 * ```ts
 * import { Fn, moduleBytes } from "./wasm_emit.ts";
 * const f = new Fn(["i32", "i32"], ["i32"]);
 * f.get(0).get(1).op(0x6a); // i32.add
 * const bytes = moduleBytes([{ name: "add", fn: f }], 1);
 * const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
 * console.log((inst.exports.add as (a: number, b: number) => number)(2, 3)); // 5
 * ```
 * @module
 */

/** Value types used by the kernels. */
export type ValType = "i32" | "i64" | "v128";

const TYPE_CODE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, v128: 0x7b };

/** Opcodes (single byte) used by the kernels. */
export const Op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  i32Load: 0x28,
  i64Load: 0x29,
  i32Store: 0x36,
  i64Store: 0x37,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  i64Add: 0x7c,
  i64Mul: 0x7e,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const Simd = {
  load: 0x00,
  load32Splat: 0x09,
  load64Splat: 0x0a,
  store: 0x0b,
  i32x4Splat: 0x11,
  i64x2Splat: 0x12,
  i32x4Add: 0xae,
  i32x4Mul: 0xb5,
  i64x2ExtendLowU: 0xc9,
  i64x2ExtendHighU: 0xca,
  i64x2Shl: 0xcb,
  i64x2Add: 0xce,
  i64x2Mul: 0xd5,
  i64x2ExtMulLowU: 0xde,
  i64x2ExtMulHighU: 0xdf,
} as const;

/** Appends the unsigned LEB128 encoding of `v` to `out`. */
export function uleb(out: number[], v: number): number[] {
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Appends the signed LEB128 encoding of `v` (a safe integer) to `out`. */
export function sleb(out: number[], v: number): number[] {
  for (;;) {
    const b = v & 0x7f;
    v = Math.floor(v / 128);
    const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/**
 * One function under construction: parameters, extra locals, and a code buffer with
 * chainable instruction helpers.
 */
export class Fn {
  /** Parameter types. */
  readonly params: ValType[];
  /** Result types. */
  readonly results: ValType[];
  /** Types of the extra locals, in index order after the parameters. */
  readonly locals: ValType[] = [];
  /** The instruction bytes so far. */
  readonly code: number[] = [];

  /** Starts a function with these parameter and result types. */
  constructor(params: ValType[], results: ValType[] = []) {
    this.params = params;
    this.results = results;
  }
  /** Declares a new local and returns its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }
  /** Raw opcode bytes. */
  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  /** local.get */
  get(i: number): this {
    this.code.push(0x20);
    uleb(this.code, i);
    return this;
  }
  /** local.set */
  set(i: number): this {
    this.code.push(0x21);
    uleb(this.code, i);
    return this;
  }
  /** local.tee */
  tee(i: number): this {
    this.code.push(0x22);
    uleb(this.code, i);
    return this;
  }
  /** i32.const */
  i32(v: number): this {
    this.code.push(0x41);
    sleb(this.code, v | 0);
    return this;
  }
  /** A memory instruction (`op`) with alignment log2 `align` and constant byte `offset`. */
  mem(op: number, align: number, offset = 0): this {
    this.code.push(op);
    uleb(this.code, align);
    uleb(this.code, offset);
    return this;
  }
  /** A SIMD instruction; memory ones take `[align, offset]`. */
  simd(op: number, memarg?: [number, number]): this {
    this.code.push(0xfd);
    uleb(this.code, op);
    if (memarg) {
      uleb(this.code, memarg[0]);
      uleb(this.code, memarg[1]);
    }
    return this;
  }
  /**
   * `for (i = from; i < to; i += step) body()`, with `from`, `to`, `step` emitted by the
   * callbacks (i32 values) and `i` an i32 local. Runs zero times when `from >= to`.
   */
  for(i: number, from: () => void, to: () => void, step: number, body: () => void): this {
    from();
    this.set(i);
    this.op(Op.block, 0x40);
    this.get(i);
    to();
    this.op(Op.i32GeU, Op.brIf, 0);
    this.op(Op.loop, 0x40);
    body();
    this.get(i).i32(step).op(Op.i32Add).tee(i);
    to();
    this.op(Op.i32LtU, Op.brIf, 0, Op.end, Op.end);
    return this;
  }
  /** The function body in binary form (locals then code then `end`). */
  body(): number[] {
    const groups: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const out: number[] = [];
    uleb(out, groups.length);
    for (const [n, t] of groups) {
      uleb(out, n);
      out.push(TYPE_CODE[t]);
    }
    out.push(...this.code, Op.end);
    return out;
  }
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb([], payload.length), ...payload];
}

function vec(items: number[][]): number[] {
  return [...uleb([], items.length), ...items.flat()];
}

function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb([], b.length), ...b];
}

/**
 * A module of the given exported functions and one exported memory `"mem"` of
 * `minPages` 64 KiB pages (growable from JS).
 */
export function moduleBytes(
  fns: { name: string; fn: Fn }[],
  minPages: number,
): Uint8Array<ArrayBuffer> {
  const types = fns.map((
    { fn },
  ) => [
    0x60,
    ...vec(fn.params.map((t) => [TYPE_CODE[t]])),
    ...vec(fn.results.map((t) => [TYPE_CODE[t]])),
  ]);
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(3, vec(fns.map((_, i) => uleb([], i)))),
    ...section(5, vec([[0x00, ...uleb([], minPages)]])),
    ...section(
      7,
      vec([
        ...fns.map(({ name: n }, i) => [...name(n), 0x00, ...uleb([], i)]),
        [...name("mem"), 0x02, 0x00],
      ]),
    ),
    ...section(
      10,
      vec(fns.map(({ fn }) => {
        const b = fn.body();
        return [...uleb([], b.length), ...b];
      })),
    ),
  ];
  return new Uint8Array(bytes);
}
