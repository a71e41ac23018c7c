// A poll is a loop: read, compare the masked value, and give up with the
// poll's 1-based index once the timeout has elapsed since the first read.
// RUN: gpuinit-opt %s --convert-initseq-to-llvm -split-input-file | FileCheck %s

// CHECK-LABEL: llvm.func @mmio_eq(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %[[CTX:.*]]: !llvm.ptr) -> i32 {
// CHECK:         %[[B0:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[START:.*]] = llvm.call @gpuinit_time_ns(%[[CTX]]) : (!llvm.ptr) -> i64
// CHECK-NEXT:    llvm.br ^[[LOOP:bb[0-9]+]]
// CHECK-NEXT:  ^[[LOOP]]:
// CHECK-NEXT:    %[[A:.*]] = llvm.getelementptr %[[B0]][57600] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    %[[V:.*]] = llvm.load volatile %[[A]] {alignment = 4 : i64} : !llvm.ptr -> i32
// CHECK-NEXT:    %[[MASK:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    %[[M:.*]] = llvm.and %[[V]], %[[MASK]] : i32
// CHECK-NEXT:    %[[EXP:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    %[[OK:.*]] = llvm.icmp "eq" %[[M]], %[[EXP]] : i32
// CHECK-NEXT:    llvm.cond_br %[[OK]], ^[[DONE:bb[0-9]+]], ^[[CHECK:bb[0-9]+]]
// CHECK-NEXT:  ^[[CHECK]]:
// CHECK-NEXT:    %[[NOW:.*]] = llvm.call @gpuinit_time_ns(%[[CTX]]) : (!llvm.ptr) -> i64
// CHECK-NEXT:    %[[EL:.*]] = llvm.sub %[[NOW]], %[[START]] : i64
// CHECK-NEXT:    %[[TO:.*]] = llvm.mlir.constant(100000000 : i64) : i64
// CHECK-NEXT:    %[[LATE:.*]] = llvm.icmp "uge" %[[EL]], %[[TO]] : i64
// CHECK-NEXT:    llvm.cond_br %[[LATE]], ^[[FAIL:bb[0-9]+]], ^[[LOOP]]
// CHECK-NEXT:  ^[[FAIL]]:
// CHECK-NEXT:    %[[CODE:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    llvm.return %[[CODE]] : i32
// CHECK-NEXT:  ^[[DONE]]:
// CHECK-NEXT:    %[[Z:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    llvm.return %[[Z]] : i32
initseq.sequence @mmio_eq {
  initseq.poll mmio[bar0 + 0x00e100] : i32 mask 0x2 eq 0x2 timeout 100 ms
}

// -----

// ne compares; cfg and io polls read through the hooks, an idxio poll
// selects its index on every iteration.
// CHECK-LABEL: llvm.func @hooks(
// CHECK:         llvm.call @gpuinit_time_ns
// CHECK:       ^[[L1:bb[0-9]+]]:
// CHECK-NEXT:    llvm.mlir.constant(4 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(16 : i32) : i32
// CHECK-NEXT:    %[[R:.*]] = llvm.call @gpuinit_cfg_read(
// CHECK-NEXT:    %[[T:.*]] = llvm.trunc %[[R]] : i64 to i16
// CHECK-NEXT:    %[[MASK:.*]] = llvm.mlir.constant(1024 : i16) : i16
// CHECK-NEXT:    %[[M:.*]] = llvm.and %[[T]], %[[MASK]] : i16
// CHECK-NEXT:    %[[EXP:.*]] = llvm.mlir.constant(0 : i16) : i16
// CHECK-NEXT:    llvm.icmp "ne" %[[M]], %[[EXP]] : i16
// CHECK:         llvm.mlir.constant(1000 : i64) : i64
// CHECK:         llvm.cond_br %{{.*}}, ^{{.*}}, ^[[L1]]
// CHECK:         llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    llvm.return
//
// CHECK:         llvm.call @gpuinit_time_ns
// CHECK:       ^[[L2:bb[0-9]+]]:
// CHECK-NEXT:    llvm.mlir.constant(986 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(8 : i32) : i32
// CHECK-NEXT:    llvm.call @gpuinit_io_read(
// CHECK:         llvm.icmp "eq"
// CHECK:         llvm.cond_br %{{.*}}, ^{{.*}}, ^[[L2]]
// CHECK:         llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    llvm.return
//
// CHECK:         llvm.call @gpuinit_time_ns
// CHECK:       ^[[L3:bb[0-9]+]]:
// CHECK-NEXT:    llvm.mlir.constant(964 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(8 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(1 : i64) : i64
// CHECK-NEXT:    llvm.call @gpuinit_io_write(
// CHECK-NEXT:    llvm.mlir.constant(965 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(8 : i32) : i32
// CHECK-NEXT:    llvm.call @gpuinit_io_read(
// CHECK:         llvm.cond_br %{{.*}}, ^{{.*}}, ^[[L3]]
// CHECK:         llvm.mlir.constant(3 : i32) : i32
// CHECK-NEXT:    llvm.return
initseq.sequence @hooks {
  initseq.poll cfg[0x004] : i16 mask 0x400 ne 0x0 timeout 1 us
  initseq.poll io[0x3da] : i8 mask 0x8 eq 0x8 timeout 1 ms
  initseq.poll idxio[0x3c4:0x3c5][0x1] : i8 mask 0x20 eq 0x0 timeout 1 ms
}

// -----

// 64-bit MMIO polls compare in 64 bits; the full 64-bit mask survives.
// CHECK-LABEL: llvm.func @wide(
// CHECK:         llvm.load volatile %{{.*}} {alignment = 8 : i64} : !llvm.ptr -> i64
// CHECK-NEXT:    llvm.mlir.constant(-9223372036854775808 : i64) : i64
// CHECK-NEXT:    llvm.and
// CHECK-NEXT:    llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT:    llvm.icmp "eq" %{{.*}}, %{{.*}} : i64
initseq.sequence @wide {
  initseq.poll mmio[bar1 + 0x000010] : i64 mask 0x8000000000000000 eq 0x0 timeout 1 s
}

// -----

// Timeout codes number the polls of a function in program order, those in
// conditions included (whether or not the condition holds at run time);
// each function starts again at 1.
// CHECK-LABEL: llvm.func @numbering(
// CHECK:         llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    llvm.return
// CHECK:         llvm.call @gpuinit_condition
// CHECK:         llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    llvm.return
// CHECK:         llvm.mlir.constant(3 : i32) : i32
// CHECK-NEXT:    llvm.return
// CHECK:         llvm.mlir.constant(4 : i32) : i32
// CHECK-NEXT:    llvm.return
// CHECK:         llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    llvm.return
// CHECK-LABEL: llvm.func @again(
// CHECK:         llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    llvm.return
initseq.sequence @numbering {
  initseq.poll mmio[bar0 + 0x000100] : i32 mask 0x80 eq 0x80 timeout 1 ms
  initseq.condition strap 0x1 {
    initseq.poll mmio[bar0 + 0x000104] : i32 mask 0x80 eq 0x80 timeout 1 ms
    initseq.condition not ramcfg 0x0 {
      initseq.poll mmio[bar0 + 0x000108] : i32 mask 0x80 eq 0x80 timeout 1 ms
    }
  }
  initseq.poll mmio[bar0 + 0x00010c] : i32 mask 0x80 eq 0x80 timeout 1 ms
}
initseq.sequence @again {
  initseq.poll mmio[bar0 + 0x000100] : i32 mask 0x80 eq 0x80 timeout 1 ms
}
