// RUN: gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-coalesce))' -mlir-pass-statistics 2>%t.stats | FileCheck %s
// RUN: FileCheck %s --check-prefix=STATS < %t.stats
// Expanding the coalesced sequence gives back the input exactly.
// RUN: gpuinit-opt %s | FileCheck %s --check-prefix=IN
// RUN: gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-coalesce,initseq-expand))' | FileCheck %s --check-prefix=IN
// RUN: gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-coalesce{min-run=4}))' | FileCheck %s --check-prefix=MIN4

// STATS:      InitSeqCoalesce
// STATS-NEXT:   (S) 5 block-writes
// STATS-NEXT:   (S) 12 writes-merged

// CHECK-LABEL: initseq.sequence @runs
// CHECK-NEXT:    initseq.block_write mmio[bar0 + 0x001000] : i32 stride 0x4 = [0x1, 0x2, 0x3] ts 10
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001010] : i32 = 0x4
// CHECK-NEXT:    initseq.block_write cfg[0x040] : i8 stride 0x1 = [0xa, 0xb]
// CHECK-NEXT:    initseq.write mmio[bar1 + 0x001010] : i32 = 0x5
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001014] : i32 = 0x6
// CHECK-NEXT:    initseq.write idxio[0x3d4:0x3d5][0x01] : i8 = 0x1
// CHECK-NEXT:    initseq.write idxio[0x3d4:0x3d5][0x02] : i8 = 0x2
// CHECK-NEXT:    initseq.write io[0x80] : i8 = 0x1
// CHECK-NEXT:    initseq.delay 1 us
// CHECK-NEXT:    initseq.write io[0x81] : i8 = 0x2
// CHECK-NEXT:    initseq.condition strap 0x0 {
// CHECK-NEXT:      initseq.block_write mmio[bar0 + 0x000000] : i16 stride 0x2 = [0x1, 0x2, 0x3]
// CHECK-NEXT:    }
// MIN4-LABEL: initseq.sequence @runs
// MIN4-NOT: initseq.block_write
// MIN4-LABEL: initseq.sequence @fifo
// IN-LABEL: initseq.sequence @runs
// IN-NEXT: initseq.write mmio[bar0 + 0x001000] : i32 = 0x1 ts 10
// IN-NEXT: initseq.write mmio[bar0 + 0x001004] : i32 = 0x2
// IN-NEXT: initseq.write mmio[bar0 + 0x001008] : i32 = 0x3
// IN-NEXT: initseq.write mmio[bar0 + 0x001010] : i32 = 0x4
// IN-NEXT: initseq.write cfg[0x040] : i8 = 0xa
// IN-NEXT: initseq.write cfg[0x041] : i8 = 0xb
initseq.sequence @runs {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x1 ts 10
  initseq.write mmio[bar0 + 0x1004] : i32 = 0x2
  initseq.write mmio[bar0 + 0x1008] : i32 = 0x3
  initseq.write mmio[bar0 + 0x1010] : i32 = 0x4
  initseq.write cfg[0x40] : i8 = 0xa
  initseq.write cfg[0x41] : i8 = 0xb
  initseq.write mmio[bar1 + 0x1010] : i32 = 0x5
  initseq.write mmio[bar0 + 0x1014] : i32 = 0x6
  initseq.write idxio[0x3d4:0x3d5][0x1] : i8 = 0x1
  initseq.write idxio[0x3d4:0x3d5][0x2] : i8 = 0x2
  initseq.write io[0x80] : i8 = 0x1
  initseq.delay 1 us
  initseq.write io[0x81] : i8 = 0x2
  initseq.condition strap 0 {
    initseq.write mmio[bar0 + 0x0] : i16 = 0x1
    initseq.write mmio[bar0 + 0x2] : i16 = 0x2
    initseq.write mmio[bar0 + 0x4] : i16 = 0x3
  }
}

// A run never crosses a condition; the body and the else body are merged
// each on its own.
// CHECK-LABEL: initseq.sequence @cond_runs
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000000] : i32 = 0x1
// CHECK-NEXT:    initseq.condition strap 0x0 {
// CHECK-NEXT:      initseq.block_write mmio[bar0 + 0x000004] : i32 stride 0x4 = [0x2, 0x3]
// CHECK-NEXT:    } else {
// CHECK-NEXT:      initseq.block_write mmio[bar0 + 0x000004] : i32 stride 0x4 = [0x4, 0x5]
// CHECK-NEXT:      initseq.delay 1 us
// CHECK-NEXT:      initseq.write mmio[bar0 + 0x00000c] : i32 = 0x6
// CHECK-NEXT:    }
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x00000c] : i32 = 0x7
// CHECK-NEXT:  }
// IN-LABEL: initseq.sequence @cond_runs
// IN-NEXT: initseq.write mmio[bar0 + 0x000000] : i32 = 0x1
// IN-NEXT: initseq.condition strap 0x0 {
// IN-NEXT:   initseq.write mmio[bar0 + 0x000004] : i32 = 0x2
// IN-NEXT:   initseq.write mmio[bar0 + 0x000008] : i32 = 0x3
// IN-NEXT: } else {
// IN-NEXT:   initseq.write mmio[bar0 + 0x000004] : i32 = 0x4
// IN-NEXT:   initseq.write mmio[bar0 + 0x000008] : i32 = 0x5
// IN-NEXT:   initseq.delay 1 us
// IN-NEXT:   initseq.write mmio[bar0 + 0x00000c] : i32 = 0x6
// IN-NEXT: }
// IN-NEXT: initseq.write mmio[bar0 + 0x00000c] : i32 = 0x7
initseq.sequence @cond_runs {
  initseq.write mmio[bar0 + 0x0] : i32 = 0x1
  initseq.condition strap 0 {
    initseq.write mmio[bar0 + 0x4] : i32 = 0x2
    initseq.write mmio[bar0 + 0x8] : i32 = 0x3
  } else {
    initseq.write mmio[bar0 + 0x4] : i32 = 0x4
    initseq.write mmio[bar0 + 0x8] : i32 = 0x5
    initseq.delay 1 us
    initseq.write mmio[bar0 + 0xc] : i32 = 0x6
  }
  initseq.write mmio[bar0 + 0xc] : i32 = 0x7
}

// Expand keeps order and widths, including a stride-0 (FIFO) block.
// RUN: gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-expand))' | FileCheck %s --check-prefix=EXPAND
// EXPAND-LABEL: initseq.sequence @fifo
// EXPAND-NEXT:    initseq.write mmio[bar0 + 0x002000] : i32 = 0x1 at 0x10
// EXPAND-NEXT:    initseq.write mmio[bar0 + 0x002000] : i32 = 0x2 at 0x10
// EXPAND-NEXT:    initseq.write mmio[bar0 + 0x002000] : i32 = 0x3 at 0x10
// EXPAND-NEXT:  }
initseq.sequence @fifo {
  initseq.block_write mmio[bar0 + 0x2000] : i32 stride 0 = [1, 2, 3] at 0x10
}
