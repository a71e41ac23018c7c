// kernel-fuse refuses when the intermediate buffer has another use than the
// two launches and kernel.free after them (another reader, a host copy, an
// initializing write, a buffer the caller sees), or when the producer itself
// reads it: the IR stays unchanged and each refusal is counted.
// RUN: gpuinit-opt %s -split-input-file --kernel-lower-structured > %t.before
// RUN: gpuinit-opt %t.before -split-input-file --kernel-fuse -mlir-pass-statistics 2>%t.stats > %t.after
// RUN: diff %t.before %t.after
// RUN: FileCheck %s < %t.stats

// CHECK:      KernelFuse
// CHECK-NEXT:   (S) 0 launches-fused
// CHECK-NEXT:   (S) 0 buffers-removed
// CHECK-NEXT:   (S) 0 refused-target
// CHECK-NEXT:   (S) 5 refused-other-use
// CHECK-NEXT:   (S) 0 refused-intervening-op
// CHECK-NEXT:   (S) 0 refused-launch-shape
// CHECK-NEXT:   (S) 0 refused-max-registers
// CHECK-NEXT:   (S) 0 refused-shared-memory
// CHECK-NEXT:   (S) 0 refused-kernel
// CHECK-NEXT:   (S) 0 refused-index
// CHECK-NEXT:   (S) 0 refused-domain
// CHECK-NEXT:   (S) 0 refused-hazard

// The intermediate is copied to the host after the consumer.
!v = memref<?xf32, #gpu.address_space<global>>
func.func @copied_out(%x: !v, %y: !v, %host: memref<?xf32>, %n: index) {
  %t = kernel.alloc(%n) : !v
  kernel.elementwise ins(%x : !v) outs(%t : !v) {
  ^bb0(%a: f32):
    %r = arith.negf %a : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t : !v) outs(%y : !v) {
  ^bb0(%a: f32):
    %r = math.absf %a : f32
    kernel.yield %r : f32
  }
  kernel.copy %t to %host : !v to memref<?xf32>
  kernel.free %t : !v
  return
}

// -----

// A third launch reads the intermediate too.
!v = memref<?xf32, #gpu.address_space<global>>
func.func @two_readers(%x: !v, %y: !v, %z: !v, %n: index) {
  %t = kernel.alloc(%n) : !v
  kernel.elementwise ins(%x : !v) outs(%t : !v) {
  ^bb0(%a: f32):
    %r = arith.negf %a : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t : !v) outs(%y : !v) {
  ^bb0(%a: f32):
    %r = math.absf %a : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t : !v) outs(%z : !v) {
  ^bb0(%a: f32):
    %r = math.sqrt %a : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !v
  return
}

// -----

// The intermediate is the caller's buffer: the caller reads it after.
!v = memref<?xf32, #gpu.address_space<global>>
func.func @callers_buffer(%x: !v, %t: !v, %y: !v) {
  kernel.elementwise ins(%x : !v) outs(%t : !v) {
  ^bb0(%a: f32):
    %r = arith.negf %a : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t : !v) outs(%y : !v) {
  ^bb0(%a: f32):
    %r = math.absf %a : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// The intermediate is initialized from the host (the matmul accumulates
// into it), and the producer reads it.
!a = memref<64x32xf32, #gpu.address_space<global>>
!b = memref<32x48xf32, #gpu.address_space<global>>
!c = memref<64x48xf32, #gpu.address_space<global>>
func.func @accumulated(%a: !a, %b: !b, %init: memref<64x48xf32>, %c: !c) {
  %t = kernel.alloc : !c
  kernel.copy %init to %t : memref<64x48xf32> to !c
  kernel.matmul ins(%a, %b : !a, !b) outs(%t : !c) accumulate
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

// No host use, but the producer (a hand-written reduce) reads the buffer it
// then stores: its elements are not only the stored values.
kernel.module @k {
  kernel.func @sum_into(%in: memref<?xf32>, %acc: memref<1xf32>, %n: index)
      kind reduce target cuda sm_90 ptx 80 workgroup(1, 1, 1) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %bid = kernel.block_id x
    %old = memref.load %acc[%bid] : memref<1xf32>
    %s = scf.for %i = %c0 to %n step %c1 iter_args(%a = %old) -> (f32) {
      %x = memref.load %in[%i] : memref<?xf32>
      %a2 = arith.addf %a, %x : f32
      scf.yield %a2 : f32
    }
    memref.store %s, %acc[%bid] : memref<1xf32>
    kernel.return
  }
}
!v = memref<?xf32, #gpu.address_space<global>>
!one = memref<1xf32, #gpu.address_space<global>>
func.func @producer_reads(%x: !v, %y: !one, %n: index) {
  %c1 = arith.constant 1 : index
  %t = kernel.alloc : !one
  kernel.launch @k::@sum_into grid(%c1, %c1, %c1) block(%c1, %c1, %c1)
      args(%x, %t, %n : !v, !one, index)
  kernel.elementwise ins(%t : !one) outs(%y : !one) {
  ^bb0(%a: f32):
    %r = math.absf %a : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !one
  return
}
