// Fused and unfused programs compute the same results on the Vulkan device
// (lavapipe here): the structured ops below are lowered for Vulkan (one
// kernel.module per kernel: the runtime loads one SPIR-V module per
// dispatch), then run once as they are (one launch per op, the
// intermediate buffer round-tripped through the host between the two
// launches) and once after kernel-fuse (one launch per function). Every
// element of the outputs must be bit-identical, and match a float64
// reference.
//
// REQUIRES: vulkan
// RUN: gpuinit-opt %s '--kernel-lower-structured=target="vulkan 1.1" module-per-kernel' -o %t.unfused.mlir
// RUN: gpuinit-opt %t.unfused.mlir --kernel-fuse -mlir-pass-statistics -o %t.fused.mlir 2> %t.stats
// RUN: FileCheck %s --check-prefix=STATS < %t.stats
// RUN: FileCheck %s < %t.fused.mlir
//
// Element-wise chain: t = alpha * x; y = relu(t + x).
// RUN: gpuinit-translate --kernel-to-spirv --kernel-module=@chain_elementwise %t.unfused.mlir -o %t.chain-1.spv
// RUN: gpuinit-translate --kernel-to-spirv --kernel-module=@chain_elementwise_1 %t.unfused.mlir -o %t.chain-2.spv
// RUN: gpuinit-translate --kernel-to-spirv --kernel-module=@chain_elementwise %t.fused.mlir -o %t.chain-fused.spv
// RUN: spirv-val --target-env vulkan1.1 %t.chain-fused.spv
// RUN: gpuinit-run launch --device=vulkan %t.chain-1.spv --launch=%S/Inputs/fuse-run/chain-1.json --format=json > %t.chain-t.json
// RUN: %python %S/Inputs/fuse-run/fuse_run.py raw %t.chain-t.json t %t.chain-t.bin
// RUN: sed 's|@T@|%t.chain-t.bin|' %S/Inputs/fuse-run/chain-2.json > %t.chain-2.json
// RUN: gpuinit-run launch --device=vulkan %t.chain-2.spv --launch=%t.chain-2.json --format=json > %t.chain-unfused.json
// RUN: gpuinit-run launch --device=vulkan %t.chain-fused.spv --launch=%S/Inputs/fuse-run/chain-fused.json --format=json > %t.chain-fused.json
// RUN: diff %t.chain-unfused.json %t.chain-fused.json
// RUN: %python %S/Inputs/fuse-run/fuse_run.py check chain %t.chain-fused.json | FileCheck %s --check-prefix=RUN-CHAIN
// RUN-CHAIN: check chain: ok (1000 elements, 487 positive)
//
// Matmul with a bias + ReLU epilogue.
// RUN: gpuinit-translate --kernel-to-spirv --kernel-module=@matmul_bias_relu_matmul %t.unfused.mlir -o %t.mm-1.spv
// RUN: gpuinit-translate --kernel-to-spirv --kernel-module=@matmul_bias_relu_elementwise %t.unfused.mlir -o %t.mm-2.spv
// RUN: gpuinit-translate --kernel-to-spirv --kernel-module=@matmul_bias_relu_matmul %t.fused.mlir -o %t.mm-fused.spv
// RUN: spirv-val --target-env vulkan1.1 %t.mm-fused.spv
// RUN: gpuinit-run launch --device=vulkan %t.mm-1.spv --launch=%S/Inputs/fuse-run/matmul-1.json --format=json > %t.mm-t.json
// RUN: %python %S/Inputs/fuse-run/fuse_run.py raw %t.mm-t.json T %t.mm-t.bin
// RUN: sed 's|@T@|%t.mm-t.bin|' %S/Inputs/fuse-run/matmul-2.json > %t.matmul-2.json
// RUN: gpuinit-run launch --device=vulkan %t.mm-2.spv --launch=%t.matmul-2.json --format=json > %t.mm-unfused.json
// RUN: gpuinit-run launch --device=vulkan %t.mm-fused.spv --launch=%S/Inputs/fuse-run/matmul-fused.json --format=json > %t.mm-fused.json
// RUN: diff %t.mm-unfused.json %t.mm-fused.json
// RUN: %python %S/Inputs/fuse-run/fuse_run.py check matmul %t.mm-fused.json | FileCheck %s --check-prefix=RUN-MATMUL
// RUN-MATMUL: check matmul: ok (3072 elements, 2214 positive)
//
// Row sums with a scale epilogue.
// RUN: gpuinit-translate --kernel-to-spirv --kernel-module=@rows_reduce %t.unfused.mlir -o %t.rows-1.spv
// RUN: gpuinit-translate --kernel-to-spirv --kernel-module=@rows_elementwise %t.unfused.mlir -o %t.rows-2.spv
// RUN: gpuinit-translate --kernel-to-spirv --kernel-module=@rows_reduce %t.fused.mlir -o %t.rows-fused.spv
// RUN: spirv-val --target-env vulkan1.1 %t.rows-fused.spv
// RUN: gpuinit-run launch --device=vulkan %t.rows-1.spv --launch=%S/Inputs/fuse-run/rows-1.json --format=json > %t.rows-t.json
// RUN: %python %S/Inputs/fuse-run/fuse_run.py raw %t.rows-t.json sums %t.rows-t.bin
// RUN: sed 's|@T@|%t.rows-t.bin|' %S/Inputs/fuse-run/rows-2.json > %t.rows-2.json
// RUN: gpuinit-run launch --device=vulkan %t.rows-2.spv --launch=%t.rows-2.json --format=json > %t.rows-unfused.json
// RUN: gpuinit-run launch --device=vulkan %t.rows-fused.spv --launch=%S/Inputs/fuse-run/rows-fused.json --format=json > %t.rows-fused.json
// RUN: diff %t.rows-unfused.json %t.rows-fused.json
// RUN: %python %S/Inputs/fuse-run/fuse_run.py check rows %t.rows-fused.json | FileCheck %s --check-prefix=RUN-ROWS
// RUN-ROWS: check rows: ok (64 elements, 56 positive)

// STATS:      KernelFuse
// STATS-NEXT:   (S) 3 launches-fused
// STATS-NEXT:   (S) 3 buffers-removed

// CHECK-LABEL: kernel.module @chain_elementwise {
// CHECK-NEXT:    kernel.func @chain_elementwise_fused(
// CHECK-LABEL: kernel.module @matmul_bias_relu_matmul {
// CHECK-NEXT:    kernel.func @matmul_bias_relu_matmul_fused(
// CHECK-LABEL: kernel.module @rows_reduce {
// CHECK-NEXT:    kernel.func @rows_reduce_fused(
// CHECK-LABEL: func.func @chain
// CHECK-COUNT-1: kernel.launch
// CHECK-NOT:   kernel.launch
// CHECK-LABEL: func.func @matmul_bias_relu
// CHECK-COUNT-1: kernel.launch
// CHECK-NOT:   kernel.launch
// CHECK-LABEL: func.func @rows
// CHECK-COUNT-1: kernel.launch
// CHECK-NOT:   kernel.launch

!vec = memref<?xf32, #gpu.address_space<global>>
func.func @chain(%alpha: f32, %x: !vec, %y: !vec) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : !vec
  %t = kernel.alloc(%n) : !vec
  kernel.elementwise ins(%alpha, %x : f32, !vec) outs(%t : !vec) {
  ^bb0(%a: f32, %v: f32):
    %r = arith.mulf %a, %v : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t, %x : !vec, !vec) outs(%y : !vec) {
  ^bb0(%v: f32, %w: f32):
    %zero = arith.constant 0.0 : f32
    %s = arith.addf %v, %w : f32
    %r = arith.maximumf %s, %zero : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !vec
  return
}

!a = memref<64x32xf32, #gpu.address_space<global>>
!b = memref<32x48xf32, #gpu.address_space<global>>
!c = memref<64x48xf32, #gpu.address_space<global>>
func.func @matmul_bias_relu(%a: !a, %b: !b, %bias: !c, %c: !c) {
  %t = kernel.alloc : !c
  kernel.matmul ins(%a, %b : !a, !b) outs(%t : !c)
  kernel.elementwise ins(%t, %bias : !c, !c) outs(%c : !c) {
  ^bb0(%v: f32, %w: f32):
    %zero = arith.constant 0.0 : f32
    %s = arith.addf %v, %w : f32
    %r = arith.maximumf %s, %zero : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !c
  return
}

!m = memref<64x1000xf32, #gpu.address_space<global>>
!r = memref<64xf32, #gpu.address_space<global>>
func.func @rows(%m: !m, %out: !r) {
  %zero = arith.constant 0.0 : f32
  %sums = kernel.alloc : !r
  kernel.reduce ins(%m : !m) outs(%sums : !r) init(%zero : f32) {
  ^bb0(%acc: f32, %v: f32):
    %s = arith.addf %acc, %v : f32
    kernel.yield %s : f32
  }
  kernel.elementwise ins(%sums : !r) outs(%out : !r) {
  ^bb0(%v: f32):
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %s = arith.mulf %v, %half : f32
    %r = arith.addf %s, %one : f32
    kernel.yield %r : f32
  }
  kernel.free %sums : !r
  return
}
