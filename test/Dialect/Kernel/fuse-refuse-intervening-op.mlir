// kernel-fuse refuses when a host op between the two launches may touch one
// of their buffers (a copy into the producer's input, a launch writing it)
// or has effects it cannot see (a call): fusing would move the producer's
// work after that op. The IR stays unchanged and each refusal is counted.
// RUN: gpuinit-opt %s -split-input-file --kernel-lower-structured > %t.before
// RUN: gpuinit-opt %t.before -split-input-file --kernel-fuse -mlir-pass-statistics 2>%t.stats > %t.after
// RUN: diff %t.before %t.after
// RUN: FileCheck %s < %t.stats
// Without the op in between, the first program fuses.
// RUN: grep -v 'kernel.copy %host to %x' %s | gpuinit-opt -split-input-file --kernel-lower-structured --kernel-fuse | FileCheck %s --check-prefix=CONTROL
// CONTROL-LABEL: func.func @copy_between(
// CONTROL:         kernel.launch @structured_kernels::@copy_between_elementwise_fused
// CONTROL-NEXT:    return

// CHECK:      KernelFuse
// CHECK-NEXT:   (S) 0 launches-fused
// CHECK-NEXT:   (S) 0 buffers-removed
// CHECK-NEXT:   (S) 0 refused-target
// CHECK-NEXT:   (S) 0 refused-other-use
// CHECK-NEXT:   (S) 3 refused-intervening-op
// CHECK-NEXT:   (S) 0 refused-launch-shape
// CHECK-NEXT:   (S) 0 refused-max-registers
// CHECK-NEXT:   (S) 0 refused-shared-memory
// CHECK-NEXT:   (S) 0 refused-kernel
// CHECK-NEXT:   (S) 0 refused-index
// CHECK-NEXT:   (S) 0 refused-domain
// CHECK-NEXT:   (S) 0 refused-hazard

// The host overwrites the producer's input between the launches.
!v = memref<16xf32, #gpu.address_space<global>>
func.func @copy_between(%x: !v, %y: !v, %host: memref<16xf32>) {
  %t = kernel.alloc : !v
  kernel.elementwise ins(%x : !v) outs(%t : !v) {
  ^bb0(%a: f32):
    %r = arith.negf %a : f32
    kernel.yield %r : f32
  }
  kernel.copy %host to %x : memref<16xf32> to !v
  kernel.elementwise ins(%t : !v) outs(%y : !v) {
  ^bb0(%a: f32):
    %r = math.absf %a : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !v
  return
}

// -----

// Another launch writes the producer's input between the two.
!v = memref<16xf32, #gpu.address_space<global>>
func.func @launch_between(%x: !v, %y: !v, %z: !v) {
  %t = kernel.alloc : !v
  kernel.elementwise ins(%x : !v) outs(%t : !v) {
  ^bb0(%a: f32):
    %r = arith.negf %a : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%z : !v) outs(%x : !v) {
  ^bb0(%a: f32):
    %r = math.sqrt %a : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t : !v) outs(%y : !v) {
  ^bb0(%a: f32):
    %r = math.absf %a : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !v
  return
}

// -----

// A call: its effects are unknown.
!v = memref<16xf32, #gpu.address_space<global>>
func.func private @host_work()
func.func @call_between(%x: !v, %y: !v) {
  %t = kernel.alloc : !v
  kernel.elementwise ins(%x : !v) outs(%t : !v) {
  ^bb0(%a: f32):
    %r = arith.negf %a : f32
    kernel.yield %r : f32
  }
  func.call @host_work() : () -> ()
  kernel.elementwise ins(%t : !v) outs(%y : !v) {
  ^bb0(%a: f32):
    %r = math.absf %a : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !v
  return
}
