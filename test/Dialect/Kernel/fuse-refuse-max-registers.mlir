// kernel-fuse refuses kernels whose max_registers metadata conflict (the
// fused kernel cannot honour both); one with a limit and one without fuse.
// The IR stays unchanged and the refusal is counted.
// RUN: gpuinit-opt %s > %t.before
// RUN: gpuinit-opt %s --kernel-fuse -mlir-pass-statistics 2>%t.stats > %t.after
// RUN: diff %t.before %t.after
// RUN: FileCheck %s < %t.stats
// Without the consumer's limit the kernels fuse and keep the producer's.
// RUN: sed 's/ max_registers 64//' %s | gpuinit-opt --kernel-fuse | FileCheck %s --check-prefix=CONTROL
// CONTROL: kernel.func @negate_fused({{.*}}) kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) max_registers 32 {

// CHECK:      KernelFuse
// CHECK-NEXT:   (S) 0 launches-fused
// CHECK-NEXT:   (S) 0 buffers-removed
// CHECK-NEXT:   (S) 0 refused-target
// CHECK-NEXT:   (S) 0 refused-other-use
// CHECK-NEXT:   (S) 0 refused-intervening-op
// CHECK-NEXT:   (S) 0 refused-launch-shape
// CHECK-NEXT:   (S) 1 refused-max-registers
// CHECK-NEXT:   (S) 0 refused-shared-memory
// CHECK-NEXT:   (S) 0 refused-kernel
// CHECK-NEXT:   (S) 0 refused-index
// CHECK-NEXT:   (S) 0 refused-domain
// CHECK-NEXT:   (S) 0 refused-hazard

kernel.module @kernels {
  kernel.func @negate(%in: memref<?xf32>, %out: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) max_registers 32 {
    %c256 = arith.constant 256 : index
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %base = arith.muli %bid, %c256 : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %x = memref.load %in[%i] : memref<?xf32>
      %y = arith.negf %x : f32
      memref.store %y, %out[%i] : memref<?xf32>
    }
    kernel.return
  }
  kernel.func @abs(%in: memref<?xf32>, %out: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) max_registers 64 {
    %c256 = arith.constant 256 : index
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %base = arith.muli %bid, %c256 : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %x = memref.load %in[%i] : memref<?xf32>
      %y = math.absf %x : f32
      memref.store %y, %out[%i] : memref<?xf32>
    }
    kernel.return
  }
}

!buf = memref<?xf32, #gpu.address_space<global>>
func.func @registers(%x: !buf, %y: !buf, %n: index, %g: index) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %t = kernel.alloc(%n) : !buf
  kernel.launch @kernels::@negate grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      args(%x, %t, %n : !buf, !buf, index)
  kernel.launch @kernels::@abs grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      args(%t, %y, %n : !buf, !buf, index)
  kernel.free %t : !buf
  return
}
