/**
 * `@sharetensor/core`: ring tensors over Z_2^64 and Z_2^32, fixed-point encoding, shapes
 * and broadcasting, a seeded PRG, the `Device` interface with the CPU device, the
 * `Transport` and `ShareTensor` interfaces, and the named errors. No protocol, no
 * sockets, no ML: everything else in sharetensor stands on this.
 *
 * @example
 * ```ts
 * import { cpu, decode, encode } from "@sharetensor/core";
 * const x = cpu.upload(encode(new Float64Array([1.5, -2.25])));
 * const y = cpu.add(x, x);
 * console.log(decode(await cpu.download(y))); // Float64Array [3, -4.5]
 * ```
 * @module
 */
export * from "./errors.ts";
export * from "./shape.ts";
export * from "./ring.ts";
export type * from "./device.ts";
export type * from "./transport.ts";
export type * from "./share.ts";
export * from "./cpu/mod.ts";
export * from "./prg.ts";
export * from "./fixed_point.ts";
