// MMIO accesses become volatile loads and stores of the access width at
// bars[bar] + offset, aligned to the width only where the offset allows it.
// RUN: gpuinit-opt %s --convert-initseq-to-llvm -split-input-file | FileCheck %s

// The replay function's signature; BAR bases are loaded once, in BAR order,
// for the BARs the sequence uses only.
// CHECK-LABEL: llvm.func @writes(
// CHECK-SAME:      %[[BARS:.*]]: !llvm.ptr, %[[CTX:.*]]: !llvm.ptr) -> i32 {
// CHECK-NEXT:    %[[S0:.*]] = llvm.getelementptr %[[BARS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B0:.*]] = llvm.load %[[S0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[S3:.*]] = llvm.getelementptr %[[BARS]][3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B3:.*]] = llvm.load %[[S3]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[V1:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    %[[A1:.*]] = llvm.getelementptr %[[B0]][5440] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    llvm.store volatile %[[V1]], %[[A1]] {alignment = 4 : i64} : i32, !llvm.ptr
// CHECK-NEXT:    %[[V2:.*]] = llvm.mlir.constant(-1 : i8) : i8
// CHECK-NEXT:    %[[A2:.*]] = llvm.getelementptr %[[B3]][7] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    llvm.store volatile %[[V2]], %[[A2]] {alignment = 1 : i64} : i8, !llvm.ptr
// CHECK-NEXT:    %[[V3:.*]] = llvm.mlir.constant(-16657 : i16) : i16
// CHECK-NEXT:    %[[A3:.*]] = llvm.getelementptr %[[B0]][514] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    llvm.store volatile %[[V3]], %[[A3]] {alignment = 2 : i64} : i16, !llvm.ptr
// CHECK-NEXT:    %[[V4:.*]] = llvm.mlir.constant(4660 : i16) : i16
// CHECK-NEXT:    %[[A4:.*]] = llvm.getelementptr %[[B0]][515] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    llvm.store volatile %[[V4]], %[[A4]] {alignment = 1 : i64} : i16, !llvm.ptr
// CHECK-NEXT:    %[[V5:.*]] = llvm.mlir.constant(81985529216486895 : i64) : i64
// CHECK-NEXT:    %[[A5:.*]] = llvm.getelementptr %[[B0]][1048584] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    llvm.store volatile %[[V5]], %[[A5]] {alignment = 8 : i64} : i64, !llvm.ptr
// CHECK-NEXT:    %[[V6:.*]] = llvm.mlir.constant(-1 : i64) : i64
// CHECK-NEXT:    %[[A6:.*]] = llvm.getelementptr %[[B0]][1048580] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    llvm.store volatile %[[V6]], %[[A6]] {alignment = 1 : i64} : i64, !llvm.ptr
// CHECK-NEXT:    %[[ZERO:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    llvm.return %[[ZERO]] : i32
// CHECK-NEXT:  }
// No hook is declared when none is used.
// CHECK-NOT:   gpuinit_
initseq.sequence @writes {
  initseq.write mmio[bar0 + 0x001540] : i32 = 0x1
  initseq.write mmio[bar3 + 0x000007] : i8 = 0xff
  initseq.write mmio[bar0 + 0x000202] : i16 = 0xbeef
  initseq.write mmio[bar0 + 0x000203] : i16 = 0x1234
  initseq.write mmio[bar0 + 0x100008] : i64 = 0x123456789abcdef
  initseq.write mmio[bar0 + 0x100004] : i64 = 0xffffffffffffffff
}

// -----

// Offsets that a GEP constant index (29 signed bits) cannot hold use an i64
// index: BAR offsets go up to 2^40.
// CHECK-LABEL: llvm.func @far(
// CHECK:         %[[OFF:.*]] = llvm.mlir.constant(1099511627772 : i64) : i64
// CHECK-NEXT:    %[[A:.*]] = llvm.getelementptr %{{.*}}[%[[OFF]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK-NEXT:    llvm.store volatile %{{.*}}, %[[A]] {alignment = 4 : i64} : i32, !llvm.ptr
// CHECK:         %[[OFF2:.*]] = llvm.mlir.constant(268435456 : i64) : i64
// CHECK-NEXT:    llvm.getelementptr %{{.*}}[%[[OFF2]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK:         llvm.getelementptr %{{.*}}[268435455] : (!llvm.ptr) -> !llvm.ptr, i8
initseq.sequence @far {
  initseq.write mmio[bar5 + 0xfffffffffc] : i32 = 0x1
  initseq.write mmio[bar5 + 0x10000000] : i8 = 0x1
  initseq.write mmio[bar5 + 0x0fffffff] : i8 = 0x1
}

// -----

// A read is a volatile load whose value is unused; volatile keeps it.
// CHECK-LABEL: llvm.func @reads(
// CHECK:         %[[A:.*]] = llvm.getelementptr %[[B:.*]][0] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    %{{.*}} = llvm.load volatile %[[A]] {alignment = 4 : i64} : !llvm.ptr -> i32
// CHECK-NEXT:    %[[A2:.*]] = llvm.getelementptr %[[B]][4097] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    %{{.*}} = llvm.load volatile %[[A2]] {alignment = 1 : i64} : !llvm.ptr -> i8
// CHECK-NEXT:    %[[A3:.*]] = llvm.getelementptr %[[B]][4098] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    %{{.*}} = llvm.load volatile %[[A3]] {alignment = 2 : i64} : !llvm.ptr -> i16
// CHECK-NEXT:    %[[A4:.*]] = llvm.getelementptr %[[B]][4104] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    %{{.*}} = llvm.load volatile %[[A4]] {alignment = 8 : i64} : !llvm.ptr -> i64
// CHECK-NEXT:    llvm.mlir.constant(0 : i32)
initseq.sequence @reads {
  initseq.read mmio[bar0 + 0x000000] : i32 -> 0xe63a0a1 ts 12000530000
  initseq.read mmio[bar0 + 0x001001] : i8
  initseq.read mmio[bar0 + 0x001002] : i16
  initseq.read mmio[bar0 + 0x001008] : i64
}

// -----

// rmw: one volatile load, and, or, one volatile store to the same address.
// CHECK-LABEL: llvm.func @rmw(
// CHECK:         %[[A:.*]] = llvm.getelementptr %[[B:.*]][49216] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    %[[OLD:.*]] = llvm.load volatile %[[A]] {alignment = 4 : i64} : !llvm.ptr -> i32
// CHECK-NEXT:    %[[AND:.*]] = llvm.mlir.constant(-256 : i32) : i32
// CHECK-NEXT:    %[[KEPT:.*]] = llvm.and %[[OLD]], %[[AND]] : i32
// CHECK-NEXT:    %[[OR:.*]] = llvm.mlir.constant(17 : i32) : i32
// CHECK-NEXT:    %[[NEW:.*]] = llvm.or %[[KEPT]], %[[OR]] : i32
// CHECK-NEXT:    %[[A2:.*]] = llvm.getelementptr %[[B]][49216] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    llvm.store volatile %[[NEW]], %[[A2]] {alignment = 4 : i64} : i32, !llvm.ptr
// CHECK:         llvm.load volatile %{{.*}} {alignment = 1 : i64} : !llvm.ptr -> i16
// CHECK:         llvm.and %{{.*}} : i16
// CHECK:         llvm.or %{{.*}} : i16
// CHECK:         llvm.store volatile %{{.*}} {alignment = 1 : i64} : i16, !llvm.ptr
initseq.sequence @rmw {
  initseq.rmw mmio[bar0 + 0x00c040] : i32 and 0xffffff00 or 0x11
  initseq.rmw mmio[bar0 + 0x00c043] : i16 and 0xff00 or 0x1
}

// -----

// An empty sequence returns 0 and reads no BAR.
// CHECK-LABEL: llvm.func @empty(
// CHECK-NEXT:    %[[Z:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    llvm.return %[[Z]] : i32
// CHECK-NEXT:  }
// Sequence metadata does not change the function.
// CHECK-LABEL: llvm.func @with_metadata(
// CHECK-NOT:   initseq
initseq.sequence @empty {
}
initseq.sequence @with_metadata origin trace pci 0x10de:0x0fc6 sha1 "0123456789abcdef0123456789abcdef01234567" incomplete {
  initseq.note "loading driver" ts 12000100000
}
