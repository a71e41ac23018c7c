// A block write is its writes in order: unrolled up to block-unroll-limit
// values (default 16), else a loop over a private constant array.
// RUN: gpuinit-opt %s --convert-initseq-to-llvm -split-input-file | FileCheck %s
// RUN: gpuinit-opt %s --convert-initseq-to-llvm='block-unroll-limit=2' -split-input-file | FileCheck %s --check-prefix=LOOP

// CHECK-LABEL: llvm.func @short(
// CHECK:         %[[V0:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    %[[A0:.*]] = llvm.getelementptr %[[B:.*]][4096] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    llvm.store volatile %[[V0]], %[[A0]] {alignment = 4 : i64} : i32, !llvm.ptr
// CHECK-NEXT:    %[[V1:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    %[[A1:.*]] = llvm.getelementptr %[[B]][4100] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    llvm.store volatile %[[V1]], %[[A1]] {alignment = 4 : i64} : i32, !llvm.ptr
// CHECK-NEXT:    %[[V2:.*]] = llvm.mlir.constant(3 : i32) : i32
// CHECK-NEXT:    %[[A2:.*]] = llvm.getelementptr %[[B]][4104] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    llvm.store volatile %[[V2]], %[[A2]] {alignment = 4 : i64} : i32, !llvm.ptr
// CHECK-NEXT:    llvm.mlir.constant(0 : i32)
// CHECK-NEXT:    llvm.return

// LOOP:       llvm.mlir.global private constant @__initseq_short_block0(dense<[1, 2, 3]> : tensor<3xi32>) {addr_space = 0 : i32} : !llvm.array<3 x i32>
// LOOP-LABEL: llvm.func @short(
// LOOP:         %[[B:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// LOOP-NEXT:    %[[ARR:.*]] = llvm.mlir.addressof @__initseq_short_block0 : !llvm.ptr
// LOOP-NEXT:    %[[STRIDE:.*]] = llvm.mlir.constant(4 : i64) : i64
// LOOP-NEXT:    %[[ZERO:.*]] = llvm.mlir.constant(0 : i64) : i64
// LOOP-NEXT:    llvm.br ^[[BODY:bb[0-9]+]](%[[ZERO]] : i64)
// LOOP-NEXT:  ^[[BODY]](%[[I:.*]]: i64):
// LOOP-NEXT:    %[[SLOT:.*]] = llvm.getelementptr %[[ARR]][0, %[[I]]] : (!llvm.ptr, i64) -> !llvm.ptr, !llvm.array<3 x i32>
// LOOP-NEXT:    %[[V:.*]] = llvm.load %[[SLOT]] : !llvm.ptr -> i32
// LOOP-NEXT:    %[[D:.*]] = llvm.mul %[[I]], %[[STRIDE]] : i64
// LOOP-NEXT:    %[[OFF:.*]] = llvm.mlir.constant(4096 : i64) : i64
// LOOP-NEXT:    %[[O:.*]] = llvm.add %[[OFF]], %[[D]] : i64
// LOOP-NEXT:    %[[A:.*]] = llvm.getelementptr %[[B]][%[[O]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// LOOP-NEXT:    llvm.store volatile %[[V]], %[[A]] {alignment = 4 : i64} : i32, !llvm.ptr
// LOOP-NEXT:    %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// LOOP-NEXT:    %[[NEXT:.*]] = llvm.add %[[I]], %[[ONE]] : i64
// LOOP-NEXT:    %[[N:.*]] = llvm.mlir.constant(3 : i64) : i64
// LOOP-NEXT:    %[[MORE:.*]] = llvm.icmp "ult" %[[NEXT]], %[[N]] : i64
// LOOP-NEXT:    llvm.cond_br %[[MORE]], ^[[BODY]](%[[NEXT]] : i64), ^[[EXIT:bb[0-9]+]]
// LOOP-NEXT:  ^[[EXIT]]:
// LOOP-NEXT:    llvm.mlir.constant(0 : i32)
// LOOP-NEXT:    llvm.return
initseq.sequence @short {
  initseq.block_write mmio[bar0 + 0x001000] : i32 stride 0x4 = [0x1, 0x2, 0x3]
}

// -----

// A loop keeps the natural alignment only when the offset and the stride
// both allow it; the array holds the values in the access width.
// LOOP-LABEL: llvm.mlir.global private constant @__initseq_align_block0(dense<[-1, 1, 2]> : tensor<3xi16>)
// LOOP-NEXT:  llvm.mlir.global private constant @__initseq_align_block1(dense<[1, 2, 3]> : tensor<3xi16>)
// LOOP-LABEL: llvm.func @align(
// LOOP:         llvm.store volatile %{{.*}} {alignment = 2 : i64} : i16, !llvm.ptr
// LOOP:         llvm.store volatile %{{.*}} {alignment = 1 : i64} : i16, !llvm.ptr
initseq.sequence @align {
  initseq.block_write mmio[bar0 + 0x000002] : i16 stride 0x2 = [0xffff, 0x1, 0x2]
  initseq.block_write mmio[bar0 + 0x000002] : i16 stride 0x3 = [0x1, 0x2, 0x3]
}

// -----

// Looped block writes to cfg and I/O compute the offset or port in i32; a
// stride of 0 writes one port repeatedly. Unrolled, each write is a hook call.
// CHECK-LABEL: llvm.func @ports(
// CHECK-COUNT-3: llvm.call @gpuinit_cfg_write
// CHECK-COUNT-3: llvm.call @gpuinit_io_write
// LOOP-LABEL: llvm.func @ports(
// LOOP:         ^[[B1:bb[0-9]+]](%[[I:.*]]: i64):
// LOOP:         %[[D:.*]] = llvm.mul %[[I]], %{{.*}} : i64
// LOOP-NEXT:    %[[W:.*]] = llvm.zext %{{.*}} : i32 to i64
// LOOP-NEXT:    %[[BASE:.*]] = llvm.mlir.constant(64 : i32) : i32
// LOOP-NEXT:    %[[DT:.*]] = llvm.trunc %[[D]] : i64 to i32
// LOOP-NEXT:    %[[OFF:.*]] = llvm.add %[[BASE]], %[[DT]] : i32
// LOOP-NEXT:    %[[BITS:.*]] = llvm.mlir.constant(32 : i32) : i32
// LOOP-NEXT:    llvm.call @gpuinit_cfg_write(%{{.*}}, %[[OFF]], %[[BITS]], %[[W]])
// LOOP:         llvm.mlir.constant(0 : i64) : i64
// LOOP:         llvm.mlir.constant(960 : i32) : i32
// LOOP:         llvm.call @gpuinit_io_write
initseq.sequence @ports {
  initseq.block_write cfg[0x040] : i32 stride 0x4 = [0x1, 0x2, 0x3]
  initseq.block_write io[0x3c0] : i8 stride 0x0 = [0x10, 0x1, 0x11]
}

// -----

// Array names do not collide with symbols the module already has.
// LOOP-LABEL: module {
// LOOP-NEXT:    llvm.mlir.global internal @__initseq_taken_block0(0 : i32)
// LOOP-NEXT:    llvm.mlir.global private constant @__initseq_taken_block1(dense<[1, 2, 3]> : tensor<3xi32>)
// LOOP-LABEL:   llvm.func @taken(
// LOOP:           llvm.mlir.addressof @__initseq_taken_block1
llvm.mlir.global internal @__initseq_taken_block0(0 : i32) : i32
initseq.sequence @taken {
  initseq.block_write mmio[bar0 + 0x001000] : i32 stride 0x4 = [0x1, 0x2, 0x3]
}
