// kernel-fuse refuses an epilogue that writes a buffer the producer reads
// elsewhere than at the element being written (or reads one it writes):
// fused, a thread would overwrite data other threads of the producer still
// read. Function arguments of one shape and element type may be the same
// buffer. The IR stays unchanged and each refusal is counted.
// RUN: gpuinit-opt %s -split-input-file --kernel-lower-structured > %t.before
// RUN: gpuinit-opt %t.before -split-input-file --kernel-fuse -mlir-pass-statistics 2>%t.stats > %t.after
// RUN: diff %t.before %t.after
// RUN: FileCheck %s < %t.stats
// An output that cannot be an input (another shape) fuses.
// RUN: sed -e 's/^!a = .*/!a = memref<64x32xf32, #gpu.address_space<global>>/' -e 's/^!b = .*/!b = memref<32x128xf32, #gpu.address_space<global>>/' -e 's/^!c = .*/!c = memref<64x128xf32, #gpu.address_space<global>>/' %s | gpuinit-opt -split-input-file --kernel-lower-structured --kernel-fuse | FileCheck %s --check-prefix=CONTROL
// CONTROL-LABEL: func.func @square_matmul_relu(
// CONTROL:         kernel.launch @structured_kernels::@square_matmul_relu_matmul_fused
// CONTROL-NEXT:    return

// CHECK:      KernelFuse
// CHECK-NEXT:   (S) 0 launches-fused
// CHECK-NEXT:   (S) 0 buffers-removed
// CHECK-NEXT:   (S) 0 refused-target
// CHECK-NEXT:   (S) 0 refused-other-use
// CHECK-NEXT:   (S) 0 refused-intervening-op
// CHECK-NEXT:   (S) 0 refused-launch-shape
// CHECK-NEXT:   (S) 0 refused-max-registers
// CHECK-NEXT:   (S) 0 refused-shared-memory
// CHECK-NEXT:   (S) 0 refused-kernel
// CHECK-NEXT:   (S) 0 refused-index
// CHECK-NEXT:   (S) 0 refused-domain
// CHECK-NEXT:   (S) 2 refused-hazard

// c = relu(a * b) with square matrices: c may be a (or b), which the
// matmul reads along whole rows (columns).
!a = memref<64x64xf32, #gpu.address_space<global>>
!b = memref<64x64xf32, #gpu.address_space<global>>
!c = memref<64x64xf32, #gpu.address_space<global>>
func.func @square_matmul_relu(%a: !a, %b: !b, %c: !c) {
  %t = kernel.alloc : !c
  kernel.matmul ins(%a, %b : !a, !b) outs(%t : !c)
  kernel.elementwise ins(%t : !c) outs(%c : !c) {
  ^bb0(%v: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !c
  return
}

// -----

// The sum of a vector scaled into a one-element buffer, which may be the
// vector itself (memref<?xf32> can have one element).
!v = memref<?xf32, #gpu.address_space<global>>
!one = memref<1xf32, #gpu.address_space<global>>
func.func @sum_into_input(%x: !v, %out: !one) {
  %zero = arith.constant 0.0 : f32
  %t = kernel.alloc : !one
  kernel.reduce ins(%x : !v) outs(%t : !one) init(%zero : f32) {
  ^bb0(%acc: f32, %v: f32):
    %s = arith.addf %acc, %v : f32
    kernel.yield %s : f32
  }
  kernel.elementwise ins(%t : !one) outs(%out : !one) {
  ^bb0(%v: f32):
    %two = arith.constant 2.0 : f32
    %r = arith.mulf %v, %two : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !one
  return
}
