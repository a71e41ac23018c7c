// kernel-fuse refuses kernels it cannot prove fusible: a consumer whose
// memory accesses are not all in its guard at one index (a loop), a
// consumer that uses its thread index as data, a producer with two stores,
// a matmul producer that stores its output inside a loop. The IR stays
// unchanged and each refusal is counted.
// RUN: gpuinit-opt %s -split-input-file > %t.before
// RUN: gpuinit-opt %s -split-input-file --kernel-fuse -mlir-pass-statistics 2>%t.stats > %t.after
// RUN: diff %t.before %t.after
// RUN: FileCheck %s < %t.stats

// CHECK:      KernelFuse
// CHECK-NEXT:   (S) 0 launches-fused
// CHECK-NEXT:   (S) 0 buffers-removed
// CHECK-NEXT:   (S) 0 refused-target
// CHECK-NEXT:   (S) 0 refused-other-use
// CHECK-NEXT:   (S) 0 refused-intervening-op
// CHECK-NEXT:   (S) 0 refused-launch-shape
// CHECK-NEXT:   (S) 0 refused-max-registers
// CHECK-NEXT:   (S) 0 refused-shared-memory
// CHECK-NEXT:   (S) 4 refused-kernel
// CHECK-NEXT:   (S) 0 refused-index
// CHECK-NEXT:   (S) 0 refused-domain
// CHECK-NEXT:   (S) 0 refused-hazard

// The consumer sums a window of the intermediate in a loop.
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
  kernel.func @window(%in: memref<?xf32>, %out: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c256 = arith.constant 256 : index
    %zero = arith.constant 0.0 : f32
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %base = arith.muli %bid, %c256 : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %s = scf.for %k = %c0 to %i step %c1 iter_args(%a = %zero) -> (f32) {
        %x = memref.load %in[%k] : memref<?xf32>
        %a2 = arith.addf %a, %x : f32
        scf.yield %a2 : f32
      }
      memref.store %s, %out[%i] : memref<?xf32>
    }
    kernel.return
  }
}

!buf = memref<?xf32, #gpu.address_space<global>>
func.func @loop_in_consumer(%x: !buf, %y: !buf, %n: index, %g: index) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %t = kernel.alloc(%n) : !buf
  kernel.launch @kernels::@negate grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      args(%x, %t, %n : !buf, !buf, index)
  kernel.launch @kernels::@window grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      args(%t, %y, %n : !buf, !buf, index)
  kernel.free %t : !buf
  return
}

// -----

// The consumer adds its index to the element (the value depends on the
// thread, not only on the element's data).
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
  kernel.func @plus_index(%in: memref<?xf32>, %out: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) {
    %c256 = arith.constant 256 : index
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %base = arith.muli %bid, %c256 : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %x = memref.load %in[%i] : memref<?xf32>
      %ii = arith.index_cast %i : index to i32
      %f = arith.sitofp %ii : i32 to f32
      %y = arith.addf %x, %f : f32
      memref.store %y, %out[%i] : memref<?xf32>
    }
    kernel.return
  }
}

!buf = memref<?xf32, #gpu.address_space<global>>
func.func @index_as_data(%x: !buf, %y: !buf, %n: index, %g: index) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %t = kernel.alloc(%n) : !buf
  kernel.launch @kernels::@negate grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      args(%x, %t, %n : !buf, !buf, index)
  kernel.launch @kernels::@plus_index grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      args(%t, %y, %n : !buf, !buf, index)
  kernel.free %t : !buf
  return
}

// -----

// The producer stores two outputs.
kernel.module @kernels {
  kernel.func @split(%in: memref<?xf32>, %pos: memref<?xf32>, %neg: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) {
    %c256 = arith.constant 256 : index
    %zero = arith.constant 0.0 : f32
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %base = arith.muli %bid, %c256 : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %x = memref.load %in[%i] : memref<?xf32>
      %p = arith.maximumf %x, %zero : f32
      %q = arith.minimumf %x, %zero : f32
      memref.store %p, %pos[%i] : memref<?xf32>
      memref.store %q, %neg[%i] : memref<?xf32>
    }
    kernel.return
  }
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
func.func @two_stores(%x: !buf, %neg: !buf, %y: !buf, %n: index, %g: index) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %t = kernel.alloc(%n) : !buf
  kernel.launch @kernels::@split grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      args(%x, %t, %neg, %n : !buf, !buf, !buf, index)
  kernel.launch @kernels::@negate grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      args(%t, %y, %n : !buf, !buf, index)
  kernel.free %t : !buf
  return
}

// -----

// The matmul stores partial sums of its output in the k loop: there is no
// one final store to attach the epilogue to.
kernel.module @mm {
  kernel.func @mm(%A: memref<64x32xf32>, %B: memref<32x64xf32>, %C: memref<64x64xf32>)
      kind matmul target cuda sm_90 ptx 80 workgroup(16, 16, 1) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c16 = arith.constant 16 : index
    %c32 = arith.constant 32 : index
    %zero = arith.constant 0.0 : f32
    %tx = kernel.thread_id x
    %ty = kernel.thread_id y
    %bx = kernel.block_id x
    %by = kernel.block_id y
    %rowBase = arith.muli %by, %c16 : index
    %row = arith.addi %rowBase, %ty : index
    %colBase = arith.muli %bx, %c16 : index
    %col = arith.addi %colBase, %tx : index
    %acc = scf.for %k = %c0 to %c32 step %c1 iter_args(%s = %zero) -> (f32) {
      %a = memref.load %A[%row, %k] : memref<64x32xf32>
      %b = memref.load %B[%k, %col] : memref<32x64xf32>
      %s2 = math.fma %a, %b, %s : f32
      memref.store %s2, %C[%row, %col] : memref<64x64xf32>
      scf.yield %s2 : f32
    }
    kernel.return
  }
  kernel.func @relu(%in: memref<64x64xf32>, %out: memref<64x64xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(64, 1, 1) {
    %c64 = arith.constant 64 : index
    %tx = kernel.thread_id x
    %bx = kernel.block_id x
    %by = kernel.block_id y
    %base = arith.muli %bx, %c64 : index
    %col = arith.addi %base, %tx : index
    %inside = arith.cmpi ult, %col, %n : index
    scf.if %inside {
      %v = memref.load %in[%by, %col] : memref<64x64xf32>
      %zero = arith.constant 0.0 : f32
      %r = arith.maximumf %v, %zero : f32
      memref.store %r, %out[%by, %col] : memref<64x64xf32>
    }
    kernel.return
  }
}

!ta = memref<64x32xf32, #gpu.address_space<global>>
!tb = memref<32x64xf32, #gpu.address_space<global>>
!sq = memref<64x64xf32, #gpu.address_space<global>>
func.func @store_in_loop(%a: !ta, %b: !tb, %out: !sq) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %t = kernel.alloc : !sq
  kernel.launch @mm::@mm grid(%c4, %c4, %c1) block(%c16, %c16, %c1)
      args(%a, %b, %t : !ta, !tb, !sq)
  kernel.launch @mm::@relu grid(%c1, %c64, %c1) block(%c64, %c1, %c1)
      args(%t, %out, %c64 : !sq, !sq, index)
  kernel.free %t : !sq
  return
}
