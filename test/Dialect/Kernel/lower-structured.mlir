// RUN: gpuinit-opt %s --kernel-lower-structured -split-input-file -mlir-pass-statistics 2>%t.stats | FileCheck %s
// RUN: FileCheck %s --check-prefix=STATS < %t.stats
// The target option, and one module per kernel.
// RUN: sed 's/kind custom target cuda sm_90 ptx 80/kind custom target vulkan 1.1/' %s | gpuinit-opt '--kernel-lower-structured=target="vulkan 1.1"' -split-input-file | FileCheck %s --check-prefix=VULKAN
// RUN: gpuinit-opt %s '--kernel-lower-structured=target=cpu module-per-kernel' -split-input-file | FileCheck %s --check-prefix=SPLIT
// The generated kernels verify, print and parse back.
// RUN: gpuinit-opt %s --kernel-lower-structured -split-input-file | gpuinit-opt -split-input-file | FileCheck %s
// A bad target is a clear error.
// RUN: not gpuinit-opt %s '--kernel-lower-structured=target="cuda sm_91 ptx 80"' 2>&1 | FileCheck %s --check-prefix=BADTARGET

// STATS:      KernelLowerStructured
// STATS-NEXT:   (S) 8 elementwise-lowered
// STATS-NEXT:   (S) 4 reduce-lowered
// STATS-NEXT:   (S) 3 matmul-lowered

// BADTARGET: error: unknown CUDA architecture sm_91
// BADTARGET: error: kernel-lower-structured: invalid target option 'cuda sm_91 ptx 80'

// VULKAN: kernel.func @saxpy_elementwise({{.*}}) kind elementwise target vulkan 1.1 workgroup(256, 1, 1) launch_bounds(256) {
// SPLIT:       kernel.module @saxpy_elementwise {
// SPLIT-NEXT:    kernel.func @saxpy_elementwise({{.*}}) kind elementwise target cpu workgroup(256, 1, 1) launch_bounds(256) {
// SPLIT:       kernel.launch @saxpy_elementwise::@saxpy_elementwise

// One element per thread: x is block_id * 256 + thread_id, checked against
// the size; the inputs are loaded at the element, the body is cloned as is.
// CHECK-LABEL: kernel.module @structured_kernels {
// CHECK-NEXT:    kernel.func @saxpy_elementwise(%[[ALPHA:.*]]: f32, %[[X:.*]]: memref<?xf32>, %[[Y:.*]]: memref<?xf32>, %[[OUT:.*]]: memref<?xf32>, %[[N:.*]]: index) kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1) launch_bounds(256) {
// CHECK-NEXT:      %[[C256:.*]] = arith.constant 256 : index
// CHECK-NEXT:      %[[TX:.*]] = kernel.thread_id x
// CHECK-NEXT:      %[[BX:.*]] = kernel.block_id x
// CHECK-NEXT:      %[[BASE:.*]] = arith.muli %[[BX]], %[[C256]] : index
// CHECK-NEXT:      %[[I:.*]] = arith.addi %[[BASE]], %[[TX]] : index
// CHECK-NEXT:      %[[IN:.*]] = arith.cmpi ult, %[[I]], %[[N]] : index
// CHECK-NEXT:      scf.if %[[IN]] {
// CHECK-NEXT:        %[[XI:.*]] = memref.load %[[X]][%[[I]]] : memref<?xf32>
// CHECK-NEXT:        %[[YI:.*]] = memref.load %[[Y]][%[[I]]] : memref<?xf32>
// CHECK-NEXT:        %[[AX:.*]] = arith.mulf %[[ALPHA]], %[[XI]] : f32
// CHECK-NEXT:        %[[R:.*]] = arith.addf %[[AX]], %[[YI]] : f32
// CHECK-NEXT:        memref.store %[[R]], %[[OUT]][%[[I]]] : memref<?xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      kernel.return
// CHECK-NEXT:    }
// CHECK-NEXT:  }
// The host computes the size and ceil(n / 256) workgroups.
// CHECK-LABEL: func.func @saxpy(
// CHECK-SAME:      %[[HA:.*]]: f32, %[[HX:.*]]: memref<?xf32, #gpu.address_space<global>>, %[[HY:.*]]: memref<?xf32, #gpu.address_space<global>>)
// CHECK-NEXT:    %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[DIM:.*]] = memref.dim %[[HY]], %[[C0]]
// CHECK-NEXT:    %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT:    %[[C255:.*]] = arith.constant 255 : index
// CHECK-NEXT:    %[[ROUND:.*]] = arith.addi %[[DIM]], %[[C255]] : index
// CHECK-NEXT:    %[[HC256:.*]] = arith.constant 256 : index
// CHECK-NEXT:    %[[G:.*]] = arith.divui %[[ROUND]], %[[HC256]] : index
// CHECK-NEXT:    kernel.launch @structured_kernels::@saxpy_elementwise grid(%[[G]], %[[C1]], %[[C1]]) block(%[[HC256]], %[[C1]], %[[C1]]) args(%[[HA]], %[[HX]], %[[HY]], %[[HY]], %[[DIM]] : f32, memref<?xf32, #gpu.address_space<global>>, memref<?xf32, #gpu.address_space<global>>, memref<?xf32, #gpu.address_space<global>>, index)
// CHECK-NEXT:    return
func.func @saxpy(%alpha: f32, %x: memref<?xf32, #gpu.address_space<global>>,
                 %y: memref<?xf32, #gpu.address_space<global>>) {
  kernel.elementwise ins(%alpha, %x, %y : f32, memref<?xf32, #gpu.address_space<global>>,
                                         memref<?xf32, #gpu.address_space<global>>)
                     outs(%y : memref<?xf32, #gpu.address_space<global>>) {
  ^bb0(%a: f32, %xi: f32, %yi: f32):
    %ax = arith.mulf %a, %xi : f32
    %r = arith.addf %ax, %yi : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// Rank 2: the rows are grid y; the static column count is a constant.
// CHECK-LABEL: kernel.func @add2d_elementwise(
// CHECK-SAME:      %[[A:[^:]*]]: memref<?x300xi32>, %[[B:[^:]*]]: memref<?x300xi32>, %[[C:[^:]*]]: memref<?x300xi32>, %[[N:[^:]*]]: index)
// CHECK:         %[[I:.*]] = arith.addi
// CHECK-NEXT:    %[[BY:.*]] = kernel.block_id y
// CHECK-NEXT:    %[[IN:.*]] = arith.cmpi ult, %[[I]], %[[N]] : index
// CHECK-NEXT:    scf.if %[[IN]] {
// CHECK-NEXT:      memref.load %[[A]][%[[BY]], %[[I]]]
// CHECK-NEXT:      memref.load %[[B]][%[[BY]], %[[I]]]
// CHECK-NEXT:      arith.addi
// CHECK-NEXT:      memref.store %{{.*}}, %[[C]][%[[BY]], %[[I]]]
// CHECK-LABEL: func.func @add2d(
// CHECK:         %[[ROWS:.*]] = memref.dim %arg2, %c0
// CHECK:         kernel.launch @structured_kernels::@add2d_elementwise grid(%c2, %[[ROWS]], %c1) block(%c256, %c1, %c1) args(%arg0, %arg1, %arg2, %c300 :
!m = memref<?x300xi32, #gpu.address_space<global>>
func.func @add2d(%a: !m, %b: !m, %c: !m) {
  kernel.elementwise ins(%a, %b : !m, !m) outs(%c : !m) {
  ^bb0(%x: i32, %y: i32):
    %r = arith.addi %x, %y : i32
    kernel.yield %r : i32
  }
  return
}

// -----

// Rank 3: grid (ceil(d2 / 256), d1, d0), element (bz, by, x).
// CHECK-LABEL: kernel.func @neg3d_elementwise(
// CHECK:         %[[I:.*]] = arith.addi
// CHECK-NEXT:    %[[BZ:.*]] = kernel.block_id z
// CHECK-NEXT:    %[[BY:.*]] = kernel.block_id y
// CHECK:         memref.load %arg0[%[[BZ]], %[[BY]], %[[I]]] : memref<4x5x6xf16>
// CHECK-NEXT:    arith.negf
// CHECK-NEXT:    memref.store %{{.*}}, %arg1[%[[BZ]], %[[BY]], %[[I]]] : memref<4x5x6xf16>
// CHECK-LABEL: func.func @neg3d(
// CHECK:         kernel.launch @structured_kernels::@neg3d_elementwise grid(%c1, %c5, %c4) block(%c256, %c1, %c1) args(%arg0, %arg1, %c6 :
!t = memref<4x5x6xf16, #gpu.address_space<global>>
func.func @neg3d(%a: !t, %c: !t) {
  kernel.elementwise ins(%a : !t) outs(%c : !t) {
  ^bb0(%x: f16):
    %r = arith.negf %x : f16
    kernel.yield %r : f16
  }
  return
}

// -----

// Rank 0: one element, thread 0 of the one workgroup.
// CHECK-LABEL: kernel.func @scalar_elementwise(%arg0: memref<f32>, %arg1: memref<f32>)
// CHECK:         %[[I:.*]] = arith.addi
// CHECK-NEXT:    %[[ONE:.*]] = arith.constant 1 : index
// CHECK-NEXT:    %[[IN:.*]] = arith.cmpi ult, %[[I]], %[[ONE]] : index
// CHECK-NEXT:    scf.if %[[IN]] {
// CHECK-NEXT:      memref.load %arg0[] : memref<f32>
// CHECK-NEXT:      math.sqrt
// CHECK-NEXT:      memref.store %{{.*}}, %arg1[] : memref<f32>
// CHECK-LABEL: func.func @scalar(
// CHECK:         kernel.launch @structured_kernels::@scalar_elementwise grid(%c1, %c1, %c1) block(%c256, %c1, %c1) args(%arg0, %arg1 :
!s = memref<f32, #gpu.address_space<global>>
func.func @scalar(%a: !s, %c: !s) {
  kernel.elementwise ins(%a : !s) outs(%c : !s) {
  ^bb0(%x: f32):
    %r = math.sqrt %x : f32
    kernel.yield %r : f32
  }
  return
}

// -----

// Row sums: one workgroup per row; thread t folds elements t, t + 256, ...
// left to right, the partial values are combined in shared memory by
// halving strides (no shuffles), thread 0 stores init + total.
// CHECK-LABEL: kernel.func @row_sums_reduce(
// CHECK-SAME:      %[[IN:[^:]*]]: memref<?x?xf32>, %[[OUT:[^:]*]]: memref<?xf32>, %[[INIT:[^:]*]]: f32, %[[LEN:[^:]*]]: index)
// CHECK-SAME:      kind reduce target cuda sm_90 ptx 80 workgroup(256, 1, 1) launch_bounds(256) shared 1024 {
// CHECK-NEXT:    %[[P:.*]] = kernel.shared_alloc : memref<256xf32, #gpu.address_space<workgroup>>
// CHECK-NEXT:    %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[C256:.*]] = arith.constant 256 : index
// CHECK-NEXT:    %[[TX:.*]] = kernel.thread_id x
// CHECK-NEXT:    %[[ROW:.*]] = kernel.block_id x
// CHECK-NEXT:    %[[HAS:.*]] = arith.cmpi ult, %[[TX]], %[[LEN]] : index
// CHECK-NEXT:    scf.if %[[HAS]] {
// CHECK-NEXT:      %[[FIRST:.*]] = memref.load %[[IN]][%[[ROW]], %[[TX]]] : memref<?x?xf32>
// CHECK-NEXT:      %[[START:.*]] = arith.addi %[[TX]], %[[C256]] : index
// CHECK-NEXT:      %[[PART:.*]] = scf.for %[[J:.*]] = %[[START]] to %[[LEN]] step %[[C256]] iter_args(%[[ACC:.*]] = %[[FIRST]]) -> (f32) {
// CHECK-NEXT:        %[[V:.*]] = memref.load %[[IN]][%[[ROW]], %[[J]]] : memref<?x?xf32>
// CHECK-NEXT:        %[[S:.*]] = arith.addf %[[ACC]], %[[V]] : f32
// CHECK-NEXT:        scf.yield %[[S]] : f32
// CHECK-NEXT:      }
// CHECK-NEXT:      memref.store %[[PART]], %[[P]][%[[TX]]]
// CHECK-NEXT:    }
// CHECK-NEXT:    kernel.barrier
// CHECK-NEXT:    %[[ACTIVE:.*]] = arith.minui %[[LEN]], %[[C256]] : index
// CHECK-NEXT:    %[[C128:.*]] = arith.constant 128 : index
// CHECK-NEXT:    %[[OTHER:.*]] = arith.addi %[[TX]], %[[C128]] : index
// CHECK-NEXT:    %[[LOW:.*]] = arith.cmpi ult, %[[TX]], %[[C128]] : index
// CHECK-NEXT:    %[[VALID:.*]] = arith.cmpi ult, %[[OTHER]], %[[ACTIVE]] : index
// CHECK-NEXT:    %[[BOTH:.*]] = arith.andi %[[LOW]], %[[VALID]] : i1
// CHECK-NEXT:    scf.if %[[BOTH]] {
// CHECK-NEXT:      %[[MINE:.*]] = memref.load %[[P]][%[[TX]]]
// CHECK-NEXT:      %[[THEIRS:.*]] = memref.load %[[P]][%[[OTHER]]]
// CHECK-NEXT:      %[[SUM:.*]] = arith.addf %[[MINE]], %[[THEIRS]] : f32
// CHECK-NEXT:      memref.store %[[SUM]], %[[P]][%[[TX]]]
// CHECK-NEXT:    }
// CHECK-NEXT:    kernel.barrier
// CHECK-NEXT:    arith.constant 64 : index
// CHECK-COUNT-5: kernel.barrier
// CHECK:         arith.constant 1 : index
// CHECK-NOT:     kernel.barrier
// CHECK:         %[[T0:.*]] = arith.cmpi eq, %[[TX]], %[[C0]] : index
// CHECK-NEXT:    scf.if %[[T0]] {
// CHECK-NEXT:      %[[NONEMPTY:.*]] = arith.cmpi ugt, %[[LEN]], %[[C0]] : index
// CHECK-NEXT:      %[[TOTAL:.*]] = scf.if %[[NONEMPTY]] -> (f32) {
// CHECK-NEXT:        %[[P0:.*]] = memref.load %[[P]][%[[C0]]]
// CHECK-NEXT:        %[[R:.*]] = arith.addf %[[INIT]], %[[P0]] : f32
// CHECK-NEXT:        scf.yield %[[R]] : f32
// CHECK-NEXT:      } else {
// CHECK-NEXT:        scf.yield %[[INIT]] : f32
// CHECK-NEXT:      }
// CHECK-NEXT:      memref.store %[[TOTAL]], %[[OUT]][%[[ROW]]] : memref<?xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    kernel.return
// CHECK-NOT:     kernel.shuffle
// The grid is the output's size, the length the input's last dimension.
// CHECK-LABEL: func.func @row_sums(
// CHECK:         %[[ROWS:.*]] = memref.dim %arg1, %c0
// CHECK-NEXT:    %[[COLS:.*]] = memref.dim %arg0, %c1
// CHECK:         kernel.launch @structured_kernels::@row_sums_reduce grid(%[[ROWS]], %c1, %c1) block(%c256, %c1, %c1) args(%arg0, %arg1, %cst, %[[COLS]] :
func.func @row_sums(%m: memref<?x?xf32, #gpu.address_space<global>>,
                    %sums: memref<?xf32, #gpu.address_space<global>>) {
  %zero = arith.constant 0.0 : f32
  kernel.reduce ins(%m : memref<?x?xf32, #gpu.address_space<global>>)
                outs(%sums : memref<?xf32, #gpu.address_space<global>>) init(%zero : f32) {
  ^bb0(%acc: f32, %v: f32):
    %s = arith.addf %acc, %v : f32
    kernel.yield %s : f32
  }
  return
}

// -----

// A 1-D input reduces into memref<T> (stored at []) or memref<1xT>
// (stored at [block_id x] of the one workgroup).
// CHECK-LABEL: kernel.func @reduce1d_reduce(%arg0: memref<?xf32>, %arg1: memref<f32>, %arg2: f32, %arg3: index)
// CHECK:         memref.load %arg0[%{{.*}}] : memref<?xf32>
// CHECK:         memref.store %{{.*}}, %arg1[] : memref<f32>
// CHECK-LABEL: kernel.func @reduce1d_reduce_1(%arg0: memref<?xi32>, %arg1: memref<1xi32>, %arg2: i32, %arg3: index)
// CHECK-SAME:      shared 1024
// CHECK:         %[[BX:.*]] = kernel.block_id x
// CHECK:         arith.maxsi
// CHECK:         memref.store %{{.*}}, %arg1[%[[BX]]] : memref<1xi32>
// CHECK-LABEL: func.func @reduce1d(
// CHECK:         kernel.launch @structured_kernels::@reduce1d_reduce grid(%c1, %c1, %c1)
// CHECK:         kernel.launch @structured_kernels::@reduce1d_reduce_1 grid(%c1, %c1, %c1)
!v = memref<?xf32, #gpu.address_space<global>>
!sc = memref<f32, #gpu.address_space<global>>
!one = memref<1xi32, #gpu.address_space<global>>
!vi = memref<?xi32, #gpu.address_space<global>>
func.func @reduce1d(%in: !v, %out: !sc, %vin: !vi, %max: !one) {
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant -2147483648 : i32
  kernel.reduce ins(%in : !v) outs(%out : !sc) init(%zero : f32) {
  ^bb0(%acc: f32, %x: f32):
    %s = arith.addf %acc, %x : f32
    kernel.yield %s : f32
  }
  kernel.reduce ins(%vin : !vi) outs(%max : !one) init(%lowest : i32) {
  ^bb0(%acc: i32, %x: i32):
    %s = arith.maxsi %acc, %x : i32
    kernel.yield %s : i32
  }
  return
}

// -----

// A 2-D output: grid (d1, d0, 1), row (by, bx); f64 partials take 2 KiB.
// CHECK-LABEL: kernel.func @reduce3d_reduce(%arg0: memref<8x?x100xf64>, %arg1: memref<8x?xf64>, %arg2: f64, %arg3: index)
// CHECK-SAME:      shared 2048
// CHECK:         %[[BY:.*]] = kernel.block_id y
// CHECK-NEXT:    %[[BX:.*]] = kernel.block_id x
// CHECK:         memref.load %arg0[%[[BY]], %[[BX]], %{{.*}}] : memref<8x?x100xf64>
// CHECK:         arith.mulf
// CHECK:         memref.store %{{.*}}, %arg1[%[[BY]], %[[BX]]] : memref<8x?xf64>
// CHECK-LABEL: func.func @reduce3d(
// CHECK:         %[[D1:.*]] = memref.dim %arg1, %c1
// CHECK:         kernel.launch @structured_kernels::@reduce3d_reduce grid(%[[D1]], %c8, %c1) block(%c256, %c1, %c1) args(%arg0, %arg1, %arg2, %c100 :
!in = memref<8x?x100xf64, #gpu.address_space<global>>
!out = memref<8x?xf64, #gpu.address_space<global>>
func.func @reduce3d(%in: !in, %out: !out, %init: f64) {
  kernel.reduce ins(%in : !in) outs(%out : !out) init(%init : f64) {
  ^bb0(%acc: f64, %x: f64):
    %s = arith.mulf %acc, %x : f64
    kernel.yield %s : f64
  }
  return
}

// -----

// Matmul: 16x16 tiles of A and B in shared memory; each thread sums its
// element's products in increasing k (math.fma), only over k < K.
// CHECK-LABEL: kernel.func @matmul_relu_matmul(
// CHECK-SAME:      %[[A:[^:]*]]: memref<128x64xf32>, %[[B:[^:]*]]: memref<64x256xf32>, %[[C:[^:]*]]: memref<128x256xf32>, %[[M:[^:]*]]: index, %[[N:[^:]*]]: index, %[[K:[^:]*]]: index)
// CHECK-SAME:      kind matmul target cuda sm_90 ptx 80 workgroup(16, 16, 1) launch_bounds(256) shared 2048 {
// CHECK:         %[[AS:.*]] = kernel.shared_alloc : memref<16x16xf32, #gpu.address_space<workgroup>>
// CHECK-NEXT:    %[[BS:.*]] = kernel.shared_alloc : memref<16x16xf32, #gpu.address_space<workgroup>>
// CHECK-NEXT:    %[[TX:.*]] = kernel.thread_id x
// CHECK-NEXT:    %[[TY:.*]] = kernel.thread_id y
// CHECK-NEXT:    %[[BX:.*]] = kernel.block_id x
// CHECK-NEXT:    %[[BY:.*]] = kernel.block_id y
// CHECK-NEXT:    %[[RB:.*]] = arith.muli %[[BY]], %c16 : index
// CHECK-NEXT:    %[[ROW:.*]] = arith.addi %[[RB]], %[[TY]] : index
// CHECK-NEXT:    %[[CB:.*]] = arith.muli %[[BX]], %c16 : index
// CHECK-NEXT:    %[[COL:.*]] = arith.addi %[[CB]], %[[TX]] : index
// CHECK-NEXT:    %[[ROWIN:.*]] = arith.cmpi ult, %[[ROW]], %[[M]] : index
// CHECK-NEXT:    %[[COLIN:.*]] = arith.cmpi ult, %[[COL]], %[[N]] : index
// CHECK-NEXT:    %[[INSIDE:.*]] = arith.andi %[[ROWIN]], %[[COLIN]] : i1
// CHECK:         %[[ACC:.*]] = scf.for %{{.*}} = %c0 to %{{.*}} step %c1 iter_args(%[[SUM:.*]] = %cst{{.*}}) -> (f32) {
// CHECK:           memref.load %[[A]][%[[ROW]], %{{.*}}] : memref<128x64xf32>
// CHECK:           memref.store %{{.*}}, %[[AS]][%[[TY]], %[[TX]]]
// CHECK:           memref.load %[[B]][%{{.*}}, %[[COL]]] : memref<64x256xf32>
// CHECK:           memref.store %{{.*}}, %[[BS]][%[[TY]], %[[TX]]]
// CHECK-NEXT:      kernel.barrier
// CHECK-NEXT:      %[[LEFT:.*]] = arith.subi %[[K]], %{{.*}} : index
// CHECK-NEXT:      %[[KEND:.*]] = arith.minui %[[LEFT]], %c16 : index
// CHECK-NEXT:      %[[TILE:.*]] = scf.for %[[KK:.*]] = %c0 to %[[KEND]] step %c1 iter_args(%[[S:.*]] = %[[SUM]]) -> (f32) {
// CHECK-NEXT:        %[[X:.*]] = memref.load %[[AS]][%[[TY]], %[[KK]]]
// CHECK-NEXT:        %[[Y:.*]] = memref.load %[[BS]][%[[KK]], %[[TX]]]
// CHECK-NEXT:        %[[F:.*]] = math.fma %[[X]], %[[Y]], %[[S]] : f32
// CHECK-NEXT:        scf.yield %[[F]] : f32
// CHECK-NEXT:      }
// CHECK-NEXT:      kernel.barrier
// CHECK-NEXT:      scf.yield %[[TILE]] : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    scf.if %[[INSIDE]] {
// CHECK-NEXT:      memref.store %[[ACC]], %[[C]][%[[ROW]], %[[COL]]] : memref<128x256xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    kernel.return
// The elementwise op after it reuses the buffer's sizes.
// CHECK-LABEL: func.func @matmul_relu(
// CHECK:         %[[T:.*]] = kernel.alloc : memref<128x256xf32, #gpu.address_space<global>>
// CHECK:         kernel.launch @structured_kernels::@matmul_relu_matmul grid(%c16, %c8, %c1) block(%c16, %c16, %c1) args(%arg0, %arg1, %[[T]], %c128, %c256, %c64 :
// CHECK-NEXT:    kernel.launch @structured_kernels::@matmul_relu_elementwise grid(%c1, %c128, %c1) block(%c256, %c1, %c1) args(%[[T]], %arg2, %c256 :
// CHECK-NEXT:    kernel.free %[[T]]
func.func @matmul_relu(%a: memref<128x64xf32, #gpu.address_space<global>>,
                       %b: memref<64x256xf32, #gpu.address_space<global>>,
                       %c: memref<128x256xf32, #gpu.address_space<global>>) {
  %t = kernel.alloc : memref<128x256xf32, #gpu.address_space<global>>
  kernel.matmul ins(%a, %b : memref<128x64xf32, #gpu.address_space<global>>,
                             memref<64x256xf32, #gpu.address_space<global>>)
                outs(%t : memref<128x256xf32, #gpu.address_space<global>>)
  kernel.elementwise ins(%t : memref<128x256xf32, #gpu.address_space<global>>)
                     outs(%c : memref<128x256xf32, #gpu.address_space<global>>) {
  ^bb0(%v: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    kernel.yield %r : f32
  }
  kernel.free %t : memref<128x256xf32, #gpu.address_space<global>>
  return
}

// -----

// accumulate: the sum starts from C's element; f16 inputs are extended to
// f32 before the fma; the tiles are f16 (1 KiB).
// CHECK-LABEL: kernel.func @hgemm_acc_matmul(
// CHECK-SAME:      shared 1024 {
// CHECK:         %[[INSIDE:.*]] = arith.andi
// CHECK-NEXT:    %[[START:.*]] = scf.if %[[INSIDE]] -> (f32) {
// CHECK-NEXT:      %[[OLD:.*]] = memref.load %arg2[%{{.*}}, %{{.*}}] : memref<?x?xf32>
// CHECK-NEXT:      scf.yield %[[OLD]] : f32
// CHECK-NEXT:    } else {
// CHECK-NEXT:      scf.yield %cst_0 : f32
// CHECK-NEXT:    }
// CHECK:         scf.for %{{.*}} iter_args(%{{.*}} = %[[START]]) -> (f32) {
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK-NEXT:      memref.load
// CHECK-NEXT:      arith.extf %{{.*}} : f16 to f32
// CHECK-NEXT:      math.fma
// Dynamic sizes: M and N from C, K from A.
// CHECK-LABEL: func.func @hgemm_acc(
// CHECK:         %[[M:.*]] = memref.dim %arg2, %c0
// CHECK:         %[[N:.*]] = memref.dim %arg2, %c1
// CHECK-NEXT:    %[[K:.*]] = memref.dim %arg0, %c1
// CHECK:         kernel.launch @structured_kernels::@hgemm_acc_matmul grid(%{{.*}}, %{{.*}}, %c1) block(%c16, %c16, %c1) args(%arg0, %arg1, %arg2, %[[M]], %[[N]], %[[K]] :
!h = memref<?x?xf16, #gpu.address_space<global>>
!f = memref<?x?xf32, #gpu.address_space<global>>
func.func @hgemm_acc(%a: !h, %b: !h, %c: !f) {
  kernel.matmul ins(%a, %b : !h, !h) outs(%c : !f) accumulate
  return
}

// -----

// i8 inputs accumulate into i32: extsi, muli, addi.
// CHECK-LABEL: kernel.func @imatmul_matmul(
// CHECK-SAME:      shared 512 {
// CHECK:         arith.extsi %{{.*}} : i8 to i32
// CHECK:         arith.extsi %{{.*}} : i8 to i32
// CHECK-NEXT:    %[[P:.*]] = arith.muli
// CHECK-NEXT:    arith.addi %{{.*}}, %[[P]] : i32
!ia = memref<32x64xi8, #gpu.address_space<global>>
!ib = memref<64x16xi8, #gpu.address_space<global>>
!ic = memref<32x16xi32, #gpu.address_space<global>>
func.func @imatmul(%a: !ia, %b: !ib, %c: !ic) {
  kernel.matmul ins(%a, %b : !ia, !ib) outs(%c : !ic)
  return
}

// -----

// Launches over one buffer share their sizes and grid (what kernel-fuse
// compares): the alloc's size operand, one ceil-division.
// CHECK-LABEL: func.func @shared_sizes(
// CHECK-SAME:      %[[X:.*]]: memref<?xf32, #gpu.address_space<global>>, %[[N:.*]]: index)
// CHECK-NEXT:    %[[T:.*]] = kernel.alloc(%[[N]])
// CHECK:         %[[G:.*]] = arith.divui
// CHECK-NEXT:    kernel.launch @structured_kernels::@shared_sizes_elementwise grid(%[[G]], %c1, %c1) block(%c256, %c1, %c1) args(%[[X]], %[[T]], %[[N]] :
// CHECK-NEXT:    kernel.launch @structured_kernels::@shared_sizes_elementwise_1 grid(%[[G]], %c1, %c1) block(%c256, %c1, %c1) args(%[[T]], %[[X]], %[[N]] :
!vv = memref<?xf32, #gpu.address_space<global>>
func.func @shared_sizes(%x: !vv, %n: index) {
  %t = kernel.alloc(%n) : !vv
  kernel.elementwise ins(%x : !vv) outs(%t : !vv) {
  ^bb0(%a: f32):
    %r = arith.negf %a : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t : !vv) outs(%x : !vv) {
  ^bb0(%a: f32):
    %r = math.absf %a : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !vv
  return
}

// -----

// An existing @structured_kernels module is reused (its kernels kept, new
// names uniqued).
// CHECK-LABEL: kernel.module @structured_kernels {
// CHECK-NEXT:    kernel.func @again_elementwise() kind custom
// CHECK:         kernel.func @again_elementwise_1(
// CHECK-NOT:   kernel.module
kernel.module @structured_kernels {
  kernel.func @again_elementwise() kind custom target cuda sm_90 ptx 80 {
    kernel.return
  }
}
!w = memref<16xf32, #gpu.address_space<global>>
func.func @again(%x: !w) {
  kernel.elementwise ins(%x : !w) outs(%x : !w) {
  ^bb0(%a: f32):
    %r = arith.negf %a : f32
    kernel.yield %r : f32
  }
  return
}
