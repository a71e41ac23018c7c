// Configuration space, I/O ports, indexed I/O and delays go through the
// hooks of docs/InitSeqToLLVM.md, declared once, only when used.
// RUN: gpuinit-opt %s --convert-initseq-to-llvm -split-input-file | FileCheck %s

// CHECK-LABEL: module {
// CHECK-NEXT:    llvm.func @gpuinit_cfg_write(!llvm.ptr, i32, i32, i64)
// CHECK-NEXT:    llvm.func @gpuinit_cfg_read(!llvm.ptr, i32, i32) -> i64
// CHECK-NEXT:    llvm.func @gpuinit_io_write(!llvm.ptr, i32, i32, i64)
// CHECK-NEXT:    llvm.func @gpuinit_io_read(!llvm.ptr, i32, i32) -> i64
// CHECK-NEXT:    llvm.func @cfg_io(%{{.*}}: !llvm.ptr, %[[CTX:.*]]: !llvm.ptr) -> i32 {
// No BAR is loaded: the sequence has no MMIO access.
// CHECK-NOT:     llvm.load
//
// cfg write: (ctx, offset, bits, value zero-extended to i64).
// CHECK:         %[[V:.*]] = llvm.mlir.constant(7 : i16) : i16
// CHECK-NEXT:    %[[W:.*]] = llvm.zext %[[V]] : i16 to i64
// CHECK-NEXT:    %[[OFF:.*]] = llvm.mlir.constant(4 : i32) : i32
// CHECK-NEXT:    %[[BITS:.*]] = llvm.mlir.constant(16 : i32) : i32
// CHECK-NEXT:    llvm.call @gpuinit_cfg_write(%[[CTX]], %[[OFF]], %[[BITS]], %[[W]]) : (!llvm.ptr, i32, i32, i64) -> ()
//
// cfg read: the hook's i64 is truncated to the access width; unused here.
// CHECK-NEXT:    %[[OFF:.*]] = llvm.mlir.constant(16 : i32) : i32
// CHECK-NEXT:    %[[BITS:.*]] = llvm.mlir.constant(32 : i32) : i32
// CHECK-NEXT:    %[[R:.*]] = llvm.call @gpuinit_cfg_read(%[[CTX]], %[[OFF]], %[[BITS]]) : (!llvm.ptr, i32, i32) -> i64
// CHECK-NEXT:    llvm.trunc %[[R]] : i64 to i32
//
// cfg rmw: read hook, and, or, write hook.
// CHECK-NEXT:    %[[OFF:.*]] = llvm.mlir.constant(4 : i32) : i32
// CHECK-NEXT:    %[[BITS:.*]] = llvm.mlir.constant(16 : i32) : i32
// CHECK-NEXT:    %[[R:.*]] = llvm.call @gpuinit_cfg_read(%[[CTX]], %[[OFF]], %[[BITS]])
// CHECK-NEXT:    %[[T:.*]] = llvm.trunc %[[R]] : i64 to i16
// CHECK-NEXT:    %[[AND:.*]] = llvm.mlir.constant(-5 : i16) : i16
// CHECK-NEXT:    %[[K:.*]] = llvm.and %[[T]], %[[AND]] : i16
// CHECK-NEXT:    %[[OR:.*]] = llvm.mlir.constant(2 : i16) : i16
// CHECK-NEXT:    %[[N:.*]] = llvm.or %[[K]], %[[OR]] : i16
// CHECK-NEXT:    %[[W:.*]] = llvm.zext %[[N]] : i16 to i64
// CHECK-NEXT:    %[[OFF:.*]] = llvm.mlir.constant(4 : i32) : i32
// CHECK-NEXT:    %[[BITS:.*]] = llvm.mlir.constant(16 : i32) : i32
// CHECK-NEXT:    llvm.call @gpuinit_cfg_write(%[[CTX]], %[[OFF]], %[[BITS]], %[[W]])
//
// io write and read.
// CHECK-NEXT:    %[[V:.*]] = llvm.mlir.constant(103 : i8) : i8
// CHECK-NEXT:    %[[W:.*]] = llvm.zext %[[V]] : i8 to i64
// CHECK-NEXT:    %[[PORT:.*]] = llvm.mlir.constant(962 : i32) : i32
// CHECK-NEXT:    %[[BITS:.*]] = llvm.mlir.constant(8 : i32) : i32
// CHECK-NEXT:    llvm.call @gpuinit_io_write(%[[CTX]], %[[PORT]], %[[BITS]], %[[W]]) : (!llvm.ptr, i32, i32, i64) -> ()
// CHECK-NEXT:    %[[PORT:.*]] = llvm.mlir.constant(3324 : i32) : i32
// CHECK-NEXT:    %[[BITS:.*]] = llvm.mlir.constant(32 : i32) : i32
// CHECK-NEXT:    %[[R:.*]] = llvm.call @gpuinit_io_read(%[[CTX]], %[[PORT]], %[[BITS]]) : (!llvm.ptr, i32, i32) -> i64
// CHECK-NEXT:    llvm.trunc %[[R]] : i64 to i32
initseq.sequence @cfg_io {
  initseq.write cfg[0x004] : i16 = 0x7
  initseq.read cfg[0x010] : i32
  initseq.rmw cfg[0x004] : i16 and 0xfffb or 0x2
  initseq.write io[0x3c2] : i8 = 0x67
  initseq.read io[0xcfc] : i32
}

// -----

// Indexed I/O: the index goes to the index port (8 bits) before every access
// of the data port, so an rmw is index, data read, index, data write.
// CHECK-LABEL: llvm.func @idxio(
// CHECK-SAME:      %[[CTX:[^:]*]]: !llvm.ptr) -> i32 {
// CHECK:         %[[IDXP:.*]] = llvm.mlir.constant(980 : i32) : i32
// CHECK-NEXT:    %[[B8:.*]] = llvm.mlir.constant(8 : i32) : i32
// CHECK-NEXT:    %[[IDX:.*]] = llvm.mlir.constant(17 : i64) : i64
// CHECK-NEXT:    llvm.call @gpuinit_io_write(%[[CTX]], %[[IDXP]], %[[B8]], %[[IDX]])
// CHECK-NEXT:    %[[DATAP:.*]] = llvm.mlir.constant(981 : i32) : i32
// CHECK-NEXT:    %[[B8:.*]] = llvm.mlir.constant(8 : i32) : i32
// CHECK-NEXT:    llvm.call @gpuinit_io_write(%[[CTX]], %[[DATAP]], %[[B8]], %{{.*}})
//
// CHECK:         llvm.call @gpuinit_io_write(%[[CTX]], %{{.*}}, %{{.*}}, %[[IDX2:.*]]) :
// CHECK-NEXT:    %[[DATAP:.*]] = llvm.mlir.constant(981 : i32) : i32
// CHECK-NEXT:    %[[B8:.*]] = llvm.mlir.constant(8 : i32) : i32
// CHECK-NEXT:    %[[OLD:.*]] = llvm.call @gpuinit_io_read(%[[CTX]], %[[DATAP]], %[[B8]])
// CHECK-NEXT:    llvm.trunc %[[OLD]] : i64 to i8
// CHECK-NEXT:    llvm.mlir.constant(127 : i8)
// CHECK-NEXT:    llvm.and
// CHECK-NEXT:    llvm.mlir.constant(1 : i8)
// CHECK-NEXT:    llvm.or
// CHECK-NEXT:    llvm.zext
// CHECK-NEXT:    llvm.mlir.constant(980 : i32)
// CHECK-NEXT:    llvm.mlir.constant(8 : i32)
// CHECK-NEXT:    llvm.mlir.constant(18 : i64)
// CHECK-NEXT:    llvm.call @gpuinit_io_write
// CHECK-NEXT:    llvm.mlir.constant(981 : i32)
// CHECK-NEXT:    llvm.mlir.constant(8 : i32)
// CHECK-NEXT:    llvm.call @gpuinit_io_write
//
// A read: index write, data read.
// CHECK-NEXT:    llvm.mlir.constant(980 : i32)
// CHECK-NEXT:    llvm.mlir.constant(8 : i32)
// CHECK-NEXT:    llvm.mlir.constant(19 : i64)
// CHECK-NEXT:    llvm.call @gpuinit_io_write
// CHECK-NEXT:    llvm.mlir.constant(981 : i32)
// CHECK-NEXT:    llvm.mlir.constant(8 : i32)
// CHECK-NEXT:    llvm.call @gpuinit_io_read
// CHECK-NEXT:    llvm.trunc
// CHECK-NEXT:    llvm.mlir.constant(0 : i32)
// CHECK-NEXT:    llvm.return
initseq.sequence @idxio {
  initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x20
  initseq.rmw idxio[0x3d4:0x3d5][0x12] : i8 and 0x7f or 0x1
  initseq.read idxio[0x3d4:0x3d5][0x13] : i8
}

// -----

// Delays call gpuinit_delay_ns; a zero delay and a note emit nothing.
// CHECK-LABEL: module {
// CHECK-NEXT:    llvm.func @gpuinit_delay_ns(!llvm.ptr, i64)
// CHECK-NEXT:    llvm.func @delays(%{{.*}}: !llvm.ptr, %[[CTX:.*]]: !llvm.ptr) -> i32 {
// CHECK-NEXT:    %[[NS:.*]] = llvm.mlir.constant(1000000 : i64) : i64
// CHECK-NEXT:    llvm.call @gpuinit_delay_ns(%[[CTX]], %[[NS]]) : (!llvm.ptr, i64) -> ()
// CHECK-NEXT:    %[[NS:.*]] = llvm.mlir.constant(25 : i64) : i64
// CHECK-NEXT:    llvm.call @gpuinit_delay_ns(%[[CTX]], %[[NS]]) : (!llvm.ptr, i64) -> ()
// CHECK-NEXT:    %[[Z:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    llvm.return %[[Z]] : i32
initseq.sequence @delays {
  initseq.delay 1 ms
  initseq.delay 0 ns
  initseq.note "between delays"
  initseq.delay 25 ns
}

// -----

// A declaration the module already has is reused, and every sequence of the
// module calls the same one.
// CHECK-LABEL: module {
// CHECK-NEXT:    llvm.func @gpuinit_delay_ns(!llvm.ptr, i64) attributes {sym_visibility = "private"}
// CHECK-NEXT:    llvm.func @first(
// CHECK:           llvm.call @gpuinit_delay_ns
// CHECK:         llvm.func @second(
// CHECK:           llvm.call @gpuinit_delay_ns
// CHECK-NOT:     llvm.func @gpuinit_delay_ns
llvm.func @gpuinit_delay_ns(!llvm.ptr, i64) attributes {sym_visibility = "private"}
initseq.sequence @first {
  initseq.delay 1 us
}
initseq.sequence @second {
  initseq.delay 2 us
}
