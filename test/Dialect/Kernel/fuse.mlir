// RUN: gpuinit-opt %s --kernel-lower-structured --kernel-fuse -split-input-file -mlir-pass-statistics 2>%t.stats | FileCheck %s
// RUN: FileCheck %s --check-prefix=STATS < %t.stats
// The fused programs verify, print and parse back.
// RUN: gpuinit-opt %s --kernel-lower-structured --kernel-fuse -split-input-file | gpuinit-opt -split-input-file -o /dev/null
// The sample program: the matmul and its ReLU fuse, the rest stays.
// RUN: gpuinit-opt %S/Inputs/structured.mlir --kernel-lower-structured --kernel-fuse | FileCheck %s --check-prefix=SAMPLE

// STATS:      KernelFuse
// STATS-NEXT:   (S) 8 launches-fused
// STATS-NEXT:   (S) 8 buffers-removed
// STATS-NEXT:   (S) 0 refused-target
// STATS-NEXT:   (S) 0 refused-other-use
// STATS-NEXT:   (S) 0 refused-intervening-op
// STATS-NEXT:   (S) 0 refused-launch-shape
// STATS-NEXT:   (S) 0 refused-max-registers
// STATS-NEXT:   (S) 0 refused-shared-memory
// STATS-NEXT:   (S) 0 refused-kernel
// STATS-NEXT:   (S) 0 refused-index
// STATS-NEXT:   (S) 0 refused-domain
// STATS-NEXT:   (S) 0 refused-hazard

// SAMPLE:      kernel.module @structured_kernels {
// SAMPLE-NEXT:   kernel.func @saxpy_elementwise(
// SAMPLE:        kernel.func @row_sums_reduce(
// SAMPLE:        kernel.func @matmul_relu_matmul_fused(
// SAMPLE-NOT:    kernel.func
// SAMPLE:        kernel.barrier
// SAMPLE:        kernel.barrier
// SAMPLE-NEXT:     scf.yield
// SAMPLE-NEXT:   }
// SAMPLE-NEXT:   scf.if %{{.*}} {
// SAMPLE-NEXT:     %[[R:.*]] = arith.maximumf %{{.*}}, %cst : f32
// SAMPLE-NEXT:     memref.store %[[R]], %arg5[%{{.*}}, %{{.*}}] : memref<128x256xf32>
// SAMPLE-NEXT:   }
// SAMPLE-NEXT:   kernel.return
// SAMPLE-LABEL: func.func @matmul_relu(
// SAMPLE-NOT:    kernel.alloc
// SAMPLE:        kernel.launch @structured_kernels::@matmul_relu_matmul_fused grid(%c16, %c8, %c1) block(%c16, %c16, %c1) args(%arg0, %arg1, %c128, %c256, %c64, %arg2 :
// SAMPLE-NEXT:   return

// Three element-wise launches become one: each consumer's body follows the
// producer's in the one guard, the stored value in place of the load, and
// the two intermediate buffers are gone.
// CHECK-LABEL: kernel.module @structured_kernels {
// CHECK-NEXT:    kernel.func @chain_elementwise_fused(%[[ALPHA:.*]]: f32, %[[X:.*]]: memref<?xf32>, %[[N:.*]]: index, %[[Y:.*]]: memref<?xf32>) kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) launch_bounds(256) {
// CHECK-NEXT:      %[[C256:.*]] = arith.constant 256 : index
// CHECK-NEXT:      %[[TX:.*]] = kernel.thread_id x
// CHECK-NEXT:      %[[BX:.*]] = kernel.block_id x
// CHECK-NEXT:      %[[BASE:.*]] = arith.muli %[[BX]], %[[C256]] : index
// CHECK-NEXT:      %[[I:.*]] = arith.addi %[[BASE]], %[[TX]] : index
// CHECK-NEXT:      %[[IN:.*]] = arith.cmpi ult, %[[I]], %[[N]] : index
// CHECK-NEXT:      scf.if %[[IN]] {
// CHECK-NEXT:        %[[XI:.*]] = memref.load %[[X]][%[[I]]] : memref<?xf32>
// CHECK-NEXT:        %[[T:.*]] = arith.mulf %[[ALPHA]], %[[XI]] : f32
// CHECK-NEXT:        %[[U:.*]] = arith.addf %[[T]], %[[XI]] : f32
// CHECK-NEXT:        %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:        %[[R:.*]] = arith.maximumf %[[U]], %[[ZERO]] : f32
// CHECK-NEXT:        memref.store %[[R]], %[[Y]][%[[I]]] : memref<?xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      kernel.return
// CHECK-NEXT:    }
// CHECK-NEXT:  }
// CHECK-LABEL: func.func @chain(
// CHECK-SAME:      %[[HX:.*]]: memref<?xf32, #gpu.address_space<global>>, %[[HY:.*]]: memref<?xf32, #gpu.address_space<global>>, %[[HA:.*]]: f32)
// CHECK-NEXT:    %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[HN:.*]] = memref.dim %[[HX]], %[[C0]]
// CHECK-NEXT:    %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT:    %[[C255:.*]] = arith.constant 255 : index
// CHECK-NEXT:    %[[ROUND:.*]] = arith.addi %[[HN]], %[[C255]] : index
// CHECK-NEXT:    %[[HC256:.*]] = arith.constant 256 : index
// CHECK-NEXT:    %[[G:.*]] = arith.divui %[[ROUND]], %[[HC256]] : index
// CHECK-NEXT:    kernel.launch @structured_kernels::@chain_elementwise_fused grid(%[[G]], %[[C1]], %[[C1]]) block(%[[HC256]], %[[C1]], %[[C1]]) args(%[[HA]], %[[HX]], %[[HN]], %[[HY]] : f32, memref<?xf32, #gpu.address_space<global>>, index, memref<?xf32, #gpu.address_space<global>>)
// CHECK-NEXT:    return
!vec = memref<?xf32, #gpu.address_space<global>>
func.func @chain(%x: !vec, %y: !vec, %alpha: f32) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : !vec
  %t = kernel.alloc(%n) : !vec
  %u = kernel.alloc(%n) : !vec
  kernel.elementwise ins(%alpha, %x : f32, !vec) outs(%t : !vec) {
  ^bb0(%a: f32, %v: f32):
    %r = arith.mulf %a, %v : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t, %x : !vec, !vec) outs(%u : !vec) {
  ^bb0(%v: f32, %w: f32):
    %r = arith.addf %v, %w : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%u : !vec) outs(%y : !vec) {
  ^bb0(%v: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !vec
  kernel.free %u : !vec
  return
}

// -----

// A matmul and two epilogues: each epilogue runs where the matmul stored
// its element, at that element; the launch keeps the matmul's shape. The
// bias has the output's type (it may be the output): it is read only by
// the thread that writes that element, before it does.
// CHECK-LABEL: kernel.func @matmul_bias_relu_matmul_fused(
// CHECK-SAME:      %[[A:[^:]*]]: memref<64x32xf32>, %[[B:[^:]*]]: memref<32x48xf32>, %[[M:[^:]*]]: index, %[[N:[^:]*]]: index, %[[K:[^:]*]]: index, %[[BIAS:[^:]*]]: memref<64x48xf32>, %[[OUT:[^:]*]]: memref<64x48xf32>)
// CHECK-SAME:      kind matmul target cuda sm_90 ptx 80 workgroup(16, 16, 1) launch_bounds(256) shared 2048 {
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[ROW:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:         %[[COL:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:         %[[INSIDE:.*]] = arith.andi
// CHECK:         %[[ACC:.*]] = scf.for
// CHECK:           math.fma
// CHECK:           kernel.barrier
// CHECK-NEXT:      scf.yield
// CHECK-NEXT:    }
// CHECK-NEXT:    scf.if %[[INSIDE]] {
// CHECK-NEXT:      %[[BV:.*]] = memref.load %[[BIAS]][%[[ROW]], %[[COL]]] : memref<64x48xf32>
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[ACC]], %[[BV]] : f32
// CHECK-NEXT:      %[[R:.*]] = arith.maximumf %[[S]], %[[ZERO]] : f32
// CHECK-NEXT:      memref.store %[[R]], %[[OUT]][%[[ROW]], %[[COL]]] : memref<64x48xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    kernel.return
// CHECK-NEXT:  }
// CHECK-NEXT: }
// CHECK-LABEL: func.func @matmul_bias_relu(
// CHECK-NEXT:    %[[C64:.*]] = arith.constant 64 : index
// CHECK-NEXT:    %[[C48:.*]] = arith.constant 48 : index
// CHECK-NEXT:    %[[C32:.*]] = arith.constant 32 : index
// CHECK-NEXT:    %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT:    %[[C16:.*]] = arith.constant 16 : index
// CHECK-NEXT:    %[[C3:.*]] = arith.constant 3 : index
// CHECK-NEXT:    %[[C4:.*]] = arith.constant 4 : index
// CHECK-NEXT:    kernel.launch @structured_kernels::@matmul_bias_relu_matmul_fused grid(%[[C3]], %[[C4]], %[[C1]]) block(%[[C16]], %[[C16]], %[[C1]]) args(%arg0, %arg1, %[[C64]], %[[C48]], %[[C32]], %arg2, %arg3 :
// CHECK-NEXT:    return
!a = memref<64x32xf32, #gpu.address_space<global>>
!b = memref<32x48xf32, #gpu.address_space<global>>
!c = memref<64x48xf32, #gpu.address_space<global>>
func.func @matmul_bias_relu(%a: !a, %b: !b, %bias: !c, %c: !c) {
  %t = kernel.alloc : !c
  %u = kernel.alloc : !c
  kernel.matmul ins(%a, %b : !a, !b) outs(%t : !c)
  kernel.elementwise ins(%t, %bias : !c, !c) outs(%u : !c) {
  ^bb0(%v: f32, %w: f32):
    %s = arith.addf %v, %w : f32
    kernel.yield %s : f32
  }
  kernel.elementwise ins(%u : !c) outs(%c : !c) {
  ^bb0(%v: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !c
  kernel.free %u : !c
  return
}

// -----

// A reduce and an epilogue: thread 0 divides the total before storing it;
// the sizes come from the user's memref.dim, the epilogue's bound is gone.
// CHECK-LABEL: kernel.func @row_means_reduce_fused(
// CHECK-SAME:      %[[IN:[^:]*]]: memref<?x?xf32>, %[[INIT:[^:]*]]: f32, %[[LEN:[^:]*]]: index, %[[COUNT:[^:]*]]: f32, %[[OUT:[^:]*]]: memref<?xf32>)
// CHECK-SAME:      kind reduce target cuda sm_90 ptx 80 workgroup(256, 1, 1) launch_bounds(256) shared 1024 {
// CHECK:         %[[ROW:.*]] = kernel.block_id x
// CHECK:         %[[T0:.*]] = arith.cmpi eq, %{{.*}}, %{{.*}} : index
// CHECK-NEXT:    scf.if %[[T0]] {
// CHECK-NEXT:      arith.cmpi ugt
// CHECK-NEXT:      %[[TOTAL:.*]] = scf.if
// CHECK:           scf.yield %[[INIT]] : f32
// CHECK-NEXT:      }
// CHECK-NEXT:      %[[MEAN:.*]] = arith.divf %[[TOTAL]], %[[COUNT]] : f32
// CHECK-NEXT:      memref.store %[[MEAN]], %[[OUT]][%[[ROW]]] : memref<?xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    kernel.return
// CHECK-LABEL: func.func @row_means(
// CHECK-SAME:      %[[HM:[^:]*]]: memref<?x?xf32, #gpu.address_space<global>>, %[[HOUT:[^:]*]]: memref<?xf32, #gpu.address_space<global>>, %[[HCOUNT:[^:]*]]: f32)
// CHECK-NEXT:    %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:    %[[ROWS:.*]] = memref.dim %[[HM]], %[[C0]]
// CHECK-NEXT:    %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT:    %[[COLS:.*]] = memref.dim %[[HM]], %[[C1]]
// CHECK-NEXT:    %[[C256:.*]] = arith.constant 256 : index
// CHECK-NEXT:    kernel.launch @structured_kernels::@row_means_reduce_fused grid(%[[ROWS]], %[[C1]], %[[C1]]) block(%[[C256]], %[[C1]], %[[C1]]) args(%[[HM]], %[[ZERO]], %[[COLS]], %[[HCOUNT]], %[[HOUT]] :
// CHECK-NEXT:    return
!m = memref<?x?xf32, #gpu.address_space<global>>
!r = memref<?xf32, #gpu.address_space<global>>
func.func @row_means(%m: !m, %out: !r, %count: f32) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %rows = memref.dim %m, %c0 : !m
  %sums = kernel.alloc(%rows) : !r
  kernel.reduce ins(%m : !m) outs(%sums : !r) init(%zero : f32) {
  ^bb0(%acc: f32, %v: f32):
    %s = arith.addf %acc, %v : f32
    kernel.yield %s : f32
  }
  kernel.elementwise ins(%sums, %count : !r, f32) outs(%out : !r) {
  ^bb0(%v: f32, %k: f32):
    %r = arith.divf %v, %k : f32
    kernel.yield %r : f32
  }
  kernel.free %sums : !r
  return
}

// -----

// Hand-written kernels fuse too: block_dim x stands for the workgroup size,
// commuted operands match, a kernel.wait between the launches touches no
// buffer. The fused metadata: the smaller launch_bounds thread count and the
// larger min_blocks, the sum of the shared budgets, the one max_registers,
// the producer's hints.
// CHECK-LABEL: kernel.module @kernels {
// CHECK-NEXT:    kernel.func @add_fused(%[[A:.*]]: memref<?xf32>, %[[B:.*]]: memref<?xf32>, %[[N:.*]]: index, %[[OUT:.*]]: memref<?xf32>) kind elementwise target cuda sm_90 ptx 80 workgroup(128, 1, 1) launch_bounds(128, 4) shared 512 max_registers 40 hints(coalesced) {
// CHECK-NEXT:      %[[TX:.*]] = kernel.thread_id x
// CHECK-NEXT:      %[[BX:.*]] = kernel.block_id x
// CHECK-NEXT:      %[[BD:.*]] = kernel.block_dim x
// CHECK-NEXT:      %[[P:.*]] = arith.muli %[[BX]], %[[BD]] : index
// CHECK-NEXT:      %[[I:.*]] = arith.addi %[[P]], %[[TX]] : index
// CHECK-NEXT:      %[[IN:.*]] = arith.cmpi ult, %[[I]], %[[N]] : index
// CHECK-NEXT:      %[[C128:.*]] = arith.constant 128 : index
// CHECK-NEXT:      %[[Q:.*]] = arith.muli %[[C128]], %[[BX]] : index
// CHECK-NEXT:      %[[J:.*]] = arith.addi %[[TX]], %[[Q]] : index
// CHECK-NEXT:      scf.if %[[IN]] {
// CHECK-NEXT:        %[[X:.*]] = memref.load %[[A]][%[[I]]] : memref<?xf32>
// CHECK-NEXT:        %[[Y:.*]] = memref.load %[[B]][%[[I]]] : memref<?xf32>
// CHECK-NEXT:        %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK-NEXT:        %[[SQ:.*]] = arith.mulf %[[S]], %[[S]] : f32
// CHECK-NEXT:        memref.store %[[SQ]], %[[OUT]][%[[J]]] : memref<?xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      kernel.return
// CHECK-NEXT:    }
// CHECK-NEXT:  }
// CHECK-LABEL: func.func @add_square(
// CHECK:         %[[G:.*]] = arith.divui
// CHECK-NEXT:    kernel.wait
// CHECK-NEXT:    kernel.launch @kernels::@add_fused grid(%[[G]], %c1, %c1) block(%c128, %c1, %c1) args(%arg0, %arg1, %arg3, %arg2 :
// CHECK-NEXT:    return
kernel.module @kernels {
  kernel.func @add(%a: memref<?xf32>, %b: memref<?xf32>, %c: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(128, 1, 1)
      launch_bounds(1024, 2) max_registers 40 hints(coalesced) {
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %base = arith.muli %bid, %bdim : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %x = memref.load %a[%i] : memref<?xf32>
      %y = memref.load %b[%i] : memref<?xf32>
      %s = arith.addf %x, %y : f32
      memref.store %s, %c[%i] : memref<?xf32>
    }
    kernel.return
  }
  kernel.func @square(%in: memref<?xf32>, %out: memref<?xf32>, %count: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(128, 1, 1)
      launch_bounds(128, 4) shared 512 {
    %c128 = arith.constant 128 : index
    %t = kernel.thread_id x
    %b = kernel.block_id x
    %o = arith.muli %c128, %b : index
    %j = arith.addi %t, %o : index
    %ok = arith.cmpi ult, %j, %count : index
    scf.if %ok {
      %v = memref.load %in[%j] : memref<?xf32>
      %sq = arith.mulf %v, %v : f32
      memref.store %sq, %out[%j] : memref<?xf32>
    }
    kernel.return
  }
}

!buf = memref<?xf32, #gpu.address_space<global>>
func.func @add_square(%a: !buf, %b: !buf, %out: !buf, %n: index) {
  %c1 = arith.constant 1 : index
  %c127 = arith.constant 127 : index
  %c128 = arith.constant 128 : index
  %rounded = arith.addi %n, %c127 : index
  %blocks = arith.divui %rounded, %c128 : index
  %t = kernel.alloc(%n) : !buf
  kernel.launch @kernels::@add grid(%blocks, %c1, %c1) block(%c128, %c1, %c1)
      args(%a, %b, %t, %n : !buf, !buf, !buf, index)
  kernel.wait
  kernel.launch @kernels::@square grid(%blocks, %c1, %c1) block(%c128, %c1, %c1)
      args(%t, %out, %n : !buf, !buf, index)
  kernel.free %t : !buf
  return
}

// -----

// One kernel launched twice, the second time on the first's result: each
// launch keeps its own scalar.
// CHECK-LABEL: kernel.func @scale_fused(
// CHECK-SAME:      %[[IN:[^:]*]]: memref<256xf32>, %[[S:[^:]*]]: f32, %[[OUT:[^:]*]]: memref<256xf32>, %[[R:[^:]*]]: f32) kind elementwise target vulkan 1.1 workgroup(64, 1, 1) {
// CHECK:         scf.if
// CHECK-NEXT:      %[[X:.*]] = memref.load %[[IN]][%[[I:.*]]] : memref<256xf32>
// CHECK-NEXT:      %[[Y:.*]] = arith.mulf %[[X]], %[[S]] : f32
// CHECK-NEXT:      %[[Z:.*]] = arith.mulf %[[Y]], %[[R]] : f32
// CHECK-NEXT:      memref.store %[[Z]], %[[OUT]][%[[I]]] : memref<256xf32>
// CHECK-NOT:     kernel.func
// CHECK-LABEL: func.func @scale_twice(
// CHECK:         kernel.launch @kernels::@scale_fused grid(%c4, %c1, %c1) block(%c64, %c1, %c1) args(%arg0, %arg2, %arg1, %arg3 :
// CHECK-NEXT:    return
kernel.module @kernels {
  kernel.func @scale(%in: memref<256xf32>, %out: memref<256xf32>, %s: f32)
      kind elementwise target vulkan 1.1 workgroup(64, 1, 1) {
    %c64 = arith.constant 64 : index
    %c256 = arith.constant 256 : index
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %base = arith.muli %bid, %c64 : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %c256 : index
    scf.if %inside {
      %x = memref.load %in[%i] : memref<256xf32>
      %y = arith.mulf %x, %s : f32
      memref.store %y, %out[%i] : memref<256xf32>
    }
    kernel.return
  }
}

!v = memref<256xf32, #gpu.address_space<global>>
func.func @scale_twice(%x: !v, %y: !v, %s: f32, %r: f32) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %t = kernel.alloc : !v
  kernel.launch @kernels::@scale grid(%c4, %c1, %c1) block(%c64, %c1, %c1)
      args(%x, %t, %s : !v, !v, f32)
  kernel.launch @kernels::@scale grid(%c4, %c1, %c1) block(%c64, %c1, %c1)
      args(%t, %y, %r : !v, !v, f32)
  kernel.free %t : !v
  return
}

// -----

// A hand-written matmul (the tiled sample's kernel) with an epilogue that
// uses block_dim and compares with ugt: the epilogue's bound and grid are
// those of the buffer.
// CHECK-LABEL: kernel.func @mm_fused(
// CHECK:         scf.if %{{.*}} {
// CHECK-NEXT:      %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT:      %[[H:.*]] = arith.mulf %{{.*}}, %[[HALF]] : f32
// CHECK-NEXT:      memref.store %[[H]], %arg{{.*}}[%{{.*}}, %{{.*}}] : memref<64x64xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    kernel.return
// CHECK-LABEL: func.func @mm_half(
// CHECK-NOT:     kernel.alloc
// CHECK:         kernel.launch @mm::@mm_fused grid(%c4, %c4, %c1) block(%c16, %c16, %c1)
// CHECK-NEXT:    return
kernel.module @mm {
  kernel.func @mm(%A: memref<64x32xf32>, %B: memref<32x64xf32>, %C: memref<64x64xf32>,
                  %M: index, %N: index, %K: index)
      kind matmul target cuda sm_90 ptx 80 workgroup(16, 16, 1) launch_bounds(256) shared 2048 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c16 = arith.constant 16 : index
    %zero = arith.constant 0.0 : f32
    %As = kernel.shared_alloc : memref<16x16xf32, #gpu.address_space<workgroup>>
    %Bs = kernel.shared_alloc : memref<16x16xf32, #gpu.address_space<workgroup>>
    %tx = kernel.thread_id x
    %ty = kernel.thread_id y
    %bx = kernel.block_id x
    %by = kernel.block_id y
    %rowBase = arith.muli %by, %c16 : index
    %row = arith.addi %rowBase, %ty : index
    %colBase = arith.muli %bx, %c16 : index
    %col = arith.addi %colBase, %tx : index
    %tiles = arith.divui %K, %c16 : index
    %acc = scf.for %t = %c0 to %tiles step %c1 iter_args(%sum = %zero) -> (f32) {
      %kBase = arith.muli %t, %c16 : index
      %aCol = arith.addi %kBase, %tx : index
      %a = memref.load %A[%row, %aCol] : memref<64x32xf32>
      memref.store %a, %As[%ty, %tx] : memref<16x16xf32, #gpu.address_space<workgroup>>
      %bRow = arith.addi %kBase, %ty : index
      %b = memref.load %B[%bRow, %col] : memref<32x64xf32>
      memref.store %b, %Bs[%ty, %tx] : memref<16x16xf32, #gpu.address_space<workgroup>>
      kernel.barrier
      %next = scf.for %k = %c0 to %c16 step %c1 iter_args(%s = %sum) -> (f32) {
        %x = memref.load %As[%ty, %k] : memref<16x16xf32, #gpu.address_space<workgroup>>
        %y = memref.load %Bs[%k, %tx] : memref<16x16xf32, #gpu.address_space<workgroup>>
        %s2 = math.fma %x, %y, %s : f32
        scf.yield %s2 : f32
      }
      kernel.barrier
      scf.yield %next : f32
    }
    %rowIn = arith.cmpi ult, %row, %M : index
    %colIn = arith.cmpi ult, %col, %N : index
    %inside = arith.andi %rowIn, %colIn : i1
    scf.if %inside {
      memref.store %acc, %C[%row, %col] : memref<64x64xf32>
    }
    kernel.return
  }
  kernel.func @half(%in: memref<64x64xf32>, %out: memref<64x64xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(64, 1, 1) {
    %tx = kernel.thread_id x
    %bx = kernel.block_id x
    %by = kernel.block_id y
    %bdim = kernel.block_dim x
    %base = arith.muli %bx, %bdim : index
    %col = arith.addi %tx, %base : index
    %inside = arith.cmpi ugt, %n, %col : index
    scf.if %inside {
      %v = memref.load %in[%by, %col] : memref<64x64xf32>
      %half = arith.constant 0.5 : f32
      %h = arith.mulf %v, %half : f32
      memref.store %h, %out[%by, %col] : memref<64x64xf32>
    }
    kernel.return
  }
}

!ta = memref<64x32xf32, #gpu.address_space<global>>
!tb = memref<32x64xf32, #gpu.address_space<global>>
!sq = memref<64x64xf32, #gpu.address_space<global>>
func.func @mm_half(%a: !ta, %b: !tb, %out: !sq) {
  %c32 = arith.constant 32 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %t = kernel.alloc : !sq
  kernel.launch @mm::@mm grid(%c4, %c4, %c1) block(%c16, %c16, %c1)
      args(%a, %b, %t, %c64, %c64, %c32 : !ta, !tb, !sq, index, index, index)
  kernel.launch @mm::@half grid(%c1, %c64, %c1) block(%c64, %c1, %c1)
      args(%t, %out, %c64 : !sq, !sq, index)
  kernel.free %t : !sq
  return
}
