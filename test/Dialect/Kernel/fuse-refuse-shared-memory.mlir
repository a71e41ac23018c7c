// kernel-fuse refuses when the fused kernel's static shared memory (the sum
// of both kernels' `shared` budgets, or of what they allocate) would exceed
// the target's limit, or when the consumer is launched with dynamic shared
// memory. The IR stays unchanged and each refusal is counted.
// RUN: gpuinit-opt %s -split-input-file > %t.before
// RUN: gpuinit-opt %s -split-input-file --kernel-fuse -mlir-pass-statistics 2>%t.stats > %t.after
// RUN: diff %t.before %t.after
// RUN: FileCheck %s < %t.stats
// Budgets that fit together fuse, into their sum.
// RUN: sed 's/shared 30000/shared 20000/g' %s | gpuinit-opt -split-input-file --kernel-fuse | FileCheck %s --check-prefix=CONTROL
// CONTROL: kernel.func @negate_fused({{.*}}) kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) shared 40000 {

// CHECK:      KernelFuse
// CHECK-NEXT:   (S) 0 launches-fused
// CHECK-NEXT:   (S) 0 buffers-removed
// CHECK-NEXT:   (S) 0 refused-target
// CHECK-NEXT:   (S) 0 refused-other-use
// CHECK-NEXT:   (S) 0 refused-intervening-op
// CHECK-NEXT:   (S) 0 refused-launch-shape
// CHECK-NEXT:   (S) 0 refused-max-registers
// CHECK-NEXT:   (S) 3 refused-shared-memory
// CHECK-NEXT:   (S) 0 refused-kernel
// CHECK-NEXT:   (S) 0 refused-index
// CHECK-NEXT:   (S) 0 refused-domain
// CHECK-NEXT:   (S) 0 refused-hazard

// Two element-wise kernels with 30000-byte budgets: 60000 > 48 KiB on CUDA.
kernel.module @kernels {
  kernel.func @negate(%in: memref<?xf32>, %out: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) shared 30000 {
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
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) shared 30000 {
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
func.func @budgets(%x: !buf, %y: !buf, %n: index, %g: index) {
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

// -----

// A Vulkan matmul using 31744 bytes of tiles and an epilogue with a
// 2048-byte budget: 33792 > 32 KiB.
kernel.module @mm {
  kernel.func @mm(%A: memref<64x32xf32>, %B: memref<32x64xf32>, %C: memref<64x64xf32>, %M: index, %N: index)
      kind matmul target vulkan 1.1 workgroup(16, 16, 1) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c16 = arith.constant 16 : index
    %c32 = arith.constant 32 : index
    %zero = arith.constant 0.0 : f32
    %staging = kernel.shared_alloc : memref<7936xf32, #gpu.address_space<workgroup>>
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
    memref.store %acc, %staging[%c0] : memref<7936xf32, #gpu.address_space<workgroup>>
    %rowIn = arith.cmpi ult, %row, %M : index
    %colIn = arith.cmpi ult, %col, %N : index
    %inside = arith.andi %rowIn, %colIn : i1
    scf.if %inside {
      memref.store %acc, %C[%row, %col] : memref<64x64xf32>
    }
    kernel.return
  }
  kernel.func @relu(%in: memref<64x64xf32>, %out: memref<64x64xf32>, %n: index)
      kind elementwise target vulkan 1.1 workgroup(64, 1, 1) shared 2048 {
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
func.func @over_vulkan_limit(%a: !ta, %b: !tb, %out: !sq) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %t = kernel.alloc : !sq
  kernel.launch @mm::@mm grid(%c4, %c4, %c1) block(%c16, %c16, %c1)
      args(%a, %b, %t, %c64, %c64 : !ta, !tb, !sq, index, index)
  kernel.launch @mm::@relu grid(%c1, %c64, %c1) block(%c64, %c1, %c1)
      args(%t, %out, %c64 : !sq, !sq, index)
  kernel.free %t : !sq
  return
}

// -----

// The consumer's launch asks for dynamic shared memory.
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
func.func @dynamic_shared(%x: !buf, %y: !buf, %n: index, %g: index) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %bytes = arith.constant 1024 : i32
  %t = kernel.alloc(%n) : !buf
  kernel.launch @kernels::@negate grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      args(%x, %t, %n : !buf, !buf, index)
  kernel.launch @kernels::@negate grid(%g, %c1, %c1) block(%c256, %c1, %c1)
      shared(%bytes) args(%t, %y, %n : !buf, !buf, index)
  kernel.free %t : !buf
  return
}
