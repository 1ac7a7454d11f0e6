/**
 * `@sharetensor/nn`: autograd, modules for CNNs and transformers, losses, optimizers,
 * and ONNX import on secret-shared tensors. Not built yet: this package is reserved so the
 * workspace layout of shared/DESIGN.md is complete; its issue adds the code.
 *
 * @module
 */
export {};
