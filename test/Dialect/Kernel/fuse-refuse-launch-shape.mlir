// kernel-fuse fuses element-wise launches only when their grid and block are
// the same SSA values or equal constants: a grid computed twice (equal at
// run time, but not provably so here) or another block size is refused. The
// IR stays unchanged and each refusal is counted.
// RUN: gpuinit-opt %s -split-input-file > %t.before
// RUN: gpuinit-opt %s -split-input-file --kernel-fuse -mlir-pass-statistics 2>%t.stats > %t.after
// RUN: diff %t.before %t.after
// RUN: FileCheck %s < %t.stats
// With the one grid value, the first program fuses.
// RUN: sed 's/grid(%g2,/grid(%g1,/' %s | gpuinit-opt -split-input-file --kernel-fuse | FileCheck %s --check-prefix=CONTROL
// CONTROL-LABEL: func.func @grid_twice(
// CONTROL:         kernel.launch @kernels::@negate_fused
// CONTROL-NEXT:    return

// CHECK:      KernelFuse
// CHECK-NEXT:   (S) 0 launches-fused
// CHECK-NEXT:   (S) 0 buffers-removed
// CHECK-NEXT:   (S) 0 refused-target
// CHECK-NEXT:   (S) 0 refused-other-use
// CHECK-NEXT:   (S) 0 refused-intervening-op
// CHECK-NEXT:   (S) 2 refused-launch-shape
// CHECK-NEXT:   (S) 0 refused-max-registers
// CHECK-NEXT:   (S) 0 refused-shared-memory
// CHECK-NEXT:   (S) 0 refused-kernel
// CHECK-NEXT:   (S) 0 refused-index
// CHECK-NEXT:   (S) 0 refused-domain
// CHECK-NEXT:   (S) 0 refused-hazard

kernel.module @kernels {
  kernel.func @negate(%in: memref<?xf32>, %out: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) {
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
}

!buf = memref<?xf32, #gpu.address_space<global>>
func.func @grid_twice(%x: !buf, %y: !buf, %n: index) {
  %c1 = arith.constant 1 : index
  %c255 = arith.constant 255 : index
  %c256 = arith.constant 256 : index
  %r1 = arith.addi %n, %c255 : index
  %g1 = arith.divui %r1, %c256 : index
  %r2 = arith.addi %n, %c255 : index
  %g2 = arith.divui %r2, %c256 : index
  %t = kernel.alloc(%n) : !buf
  kernel.launch @kernels::@negate grid(%g1, %c1, %c1) block(%c256, %c1, %c1)
      args(%x, %t, %n : !buf, !buf, index)
  kernel.launch @kernels::@negate grid(%g2, %c1, %c1) block(%c256, %c1, %c1)
      args(%t, %y, %n : !buf, !buf, index)
  kernel.free %t : !buf
  return
}

// -----

// The same element-wise work with 128 and 256 threads per workgroup.
kernel.module @kernels {
  kernel.func @negate(%in: memref<1024xf32>, %out: memref<1024xf32>)
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) {
    %c256 = arith.constant 256 : index
    %c1024 = arith.constant 1024 : index
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %base = arith.muli %bid, %c256 : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %c1024 : index
    scf.if %inside {
      %x = memref.load %in[%i] : memref<1024xf32>
      %y = arith.negf %x : f32
      memref.store %y, %out[%i] : memref<1024xf32>
    }
    kernel.return
  }
  kernel.func @abs(%in: memref<1024xf32>, %out: memref<1024xf32>)
      kind elementwise target cuda sm_90 ptx 80 workgroup(128, 1, 1) {
    %c128 = arith.constant 128 : index
    %c1024 = arith.constant 1024 : index
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %base = arith.muli %bid, %c128 : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %c1024 : index
    scf.if %inside {
      %x = memref.load %in[%i] : memref<1024xf32>
      %y = math.absf %x : f32
      memref.store %y, %out[%i] : memref<1024xf32>
    }
    kernel.return
  }
}

!buf = memref<1024xf32, #gpu.address_space<global>>
func.func @blocks_differ(%x: !buf, %y: !buf) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %t = kernel.alloc : !buf
  kernel.launch @kernels::@negate grid(%c4, %c1, %c1) block(%c256, %c1, %c1)
      args(%x, %t : !buf, !buf)
  kernel.launch @kernels::@abs grid(%c8, %c1, %c1) block(%c128, %c1, %c1)
      args(%t, %y : !buf, !buf)
  kernel.free %t : !buf
  return
}
