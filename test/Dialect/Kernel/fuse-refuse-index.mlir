// kernel-fuse refuses when the consumer reads the intermediate at another
// index than the element it computes (a shifted read of an element-wise
// producer; a transposed read of a matmul's output): that element comes
// from another thread. The IR stays unchanged and each refusal is counted.
// RUN: gpuinit-opt %s -split-input-file > %t.before
// RUN: gpuinit-opt %s -split-input-file --kernel-fuse -mlir-pass-statistics 2>%t.stats > %t.after
// RUN: diff %t.before %t.after
// RUN: FileCheck %s < %t.stats
// Read at the element itself, the first program fuses.
// RUN: sed 's/%in\[%next\]/%in[%i]/' %s | gpuinit-opt -split-input-file --kernel-fuse | FileCheck %s --check-prefix=CONTROL
// CONTROL-LABEL: func.func @shifted(
// CONTROL:         kernel.launch @kernels::@negate_fused
// CONTROL-NEXT:    return
// RUN: sed 's/%in\[%col, %by\]/%in[%by, %col]/' %s | gpuinit-opt -split-input-file --kernel-fuse | FileCheck %s --check-prefix=CONTROL2
// CONTROL2-LABEL: func.func @transposed(
// CONTROL2:         kernel.launch @mm::@mm_fused
// CONTROL2-NEXT:    return

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
// CHECK-NEXT:   (S) 2 refused-index
// CHECK-NEXT:   (S) 0 refused-domain
// CHECK-NEXT:   (S) 0 refused-hazard

// out[i] = t[i + 1] (a difference stencil's shape).
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
  kernel.func @next(%in: memref<?xf32>, %out: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) {
    %c1 = arith.constant 1 : index
    %c256 = arith.constant 256 : index
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %base = arith.muli %bid, %c256 : index
    %i = arith.addi %base, %tid : index
    %next = arith.addi %i, %c1 : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %x = memref.load %in[%next] : memref<?xf32>
      memref.store %x, %out[%i] : memref<?xf32>
    }
    kernel.return
  }
}

!buf = memref<?xf32, #gpu.address_space<global>>
func.func @shifted(%x: !buf, %y: !buf, %n: index, %g: index) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %t = kernel.alloc(%n) : !buf
  kernel.launch @kernels::@negate grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      args(%x, %t, %n : !buf, !buf, index)
  kernel.launch @kernels::@next grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      args(%t, %y, %n : !buf, !buf, index)
  kernel.free %t : !buf
  return
}

// -----

// out[r, c] = relu(t[c, r]) after a matmul.
kernel.module @mm {
  kernel.func @mm(%A: memref<64x32xf32>, %B: memref<32x64xf32>, %C: memref<64x64xf32>, %M: index, %N: index)
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
      scf.yield %s2 : f32
    }
    %rowIn = arith.cmpi ult, %row, %M : index
    %colIn = arith.cmpi ult, %col, %N : index
    %inside = arith.andi %rowIn, %colIn : i1
    scf.if %inside {
      memref.store %acc, %C[%row, %col] : memref<64x64xf32>
    }
    kernel.return
  }
  kernel.func @relu_t(%in: memref<64x64xf32>, %out: memref<64x64xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(64, 1, 1) {
    %c64 = arith.constant 64 : index
    %tx = kernel.thread_id x
    %bx = kernel.block_id x
    %by = kernel.block_id y
    %base = arith.muli %bx, %c64 : index
    %col = arith.addi %base, %tx : index
    %inside = arith.cmpi ult, %col, %n : index
    scf.if %inside {
      %v = memref.load %in[%col, %by] : memref<64x64xf32>
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
func.func @transposed(%a: !ta, %b: !tb, %out: !sq) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %t = kernel.alloc : !sq
  kernel.launch @mm::@mm grid(%c4, %c4, %c1) block(%c16, %c16, %c1)
      args(%a, %b, %t, %c64, %c64 : !ta, !tb, !sq, index, index)
  kernel.launch @mm::@relu_t grid(%c1, %c64, %c1) block(%c64, %c1, %c1)
      args(%t, %out, %c64 : !sq, !sq, index)
  kernel.free %t : !sq
  return
}
