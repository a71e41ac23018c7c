// RUN: gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-detect-delays))' -mlir-pass-statistics 2>%t.stats | FileCheck %s
// RUN: FileCheck %s --check-prefix=STATS < %t.stats
// RUN: gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-detect-delays{threshold=100000}))' | FileCheck %s --check-prefix=LOW

// STATS:      InitSeqDetectDelays
// STATS-NEXT:   (S) 5 delays-inserted
// STATS-NEXT:   (S) 10600000 delay-ns

// CHECK-LABEL: initseq.sequence @gaps
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000100] : i32 = 0x1 ts 1000000000
// A 0.5 ms gap is below the 1 ms default threshold.
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000104] : i32 = 0x2 ts 1000500000
// CHECK-NEXT:    initseq.delay 2500 us ts 1000500000
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000108] : i32 = 0x3 ts 1003000000
// An existing delay already accounts for the gap.
// CHECK-NEXT:    initseq.delay 5 ms
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x00010c] : i32 = 0x4 ts 1008000000
// A note is timestamped too.
// CHECK-NEXT:    initseq.delay 2 ms ts 1008000000
// CHECK-NEXT:    initseq.note "phase 2" ts 1010000000
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000110] : i32 = 0x5 ts 1010000500
// LOW-LABEL: initseq.sequence @gaps
// LOW: initseq.delay 500 us
initseq.sequence @gaps {
  initseq.write mmio[bar0 + 0x100] : i32 = 0x1 ts 1000000000
  initseq.write mmio[bar0 + 0x104] : i32 = 0x2 ts 1000500000
  initseq.write mmio[bar0 + 0x108] : i32 = 0x3 ts 1003000000
  initseq.delay 5 ms
  initseq.write mmio[bar0 + 0x10c] : i32 = 0x4 ts 1008000000
  initseq.note "phase 2" ts 1010000000
  initseq.write mmio[bar0 + 0x110] : i32 = 0x5 ts 1010000500
}

// The gap after a poll is measured from the poll's end.
// CHECK-LABEL: initseq.sequence @after_poll
// CHECK-NEXT:    initseq.poll
// CHECK-NEXT:    initseq.delay 1100 us ts 7000000
// CHECK-NEXT:    initseq.write
initseq.sequence @after_poll {
  initseq.poll mmio[bar0 + 0x200] : i32 mask 0x1 eq 0x1 timeout 100 ms took 5 ms ts 2000000
  initseq.write mmio[bar0 + 0x100] : i32 = 0x1 ts 8100000
}

// Ops without timestamps (from a ROM) get nothing.
// CHECK-LABEL: initseq.sequence @no_ts
// CHECK-NOT:     initseq.delay
initseq.sequence @no_ts {
  initseq.write mmio[bar0 + 0x100] : i32 = 0x1
  initseq.write mmio[bar0 + 0x100] : i32 = 0x1
}

// Each body of a condition (then and else) is scanned as a sequence of its
// own, from no previous timestamp: no gap is measured into a body, and the
// else body does not continue from the end of the body.
// CHECK-LABEL: initseq.sequence @conditions
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000100] : i32 = 0x1 ts 0
// CHECK-NEXT:    initseq.condition strap 0x1 {
// CHECK-NEXT:      initseq.write mmio[bar0 + 0x000104] : i32 = 0x2 ts 10000000
// CHECK-NEXT:      initseq.delay 2 ms ts 10000000
// CHECK-NEXT:      initseq.write mmio[bar0 + 0x000108] : i32 = 0x3 ts 12000000
// CHECK-NEXT:    } else {
// CHECK-NEXT:      initseq.write mmio[bar0 + 0x00010c] : i32 = 0x4 ts 20000000
// CHECK-NEXT:      initseq.delay 3 ms ts 20000000
// CHECK-NEXT:      initseq.write mmio[bar0 + 0x000110] : i32 = 0x5 ts 23000000
// CHECK-NEXT:    }
// CHECK-NEXT:  }
initseq.sequence @conditions {
  initseq.write mmio[bar0 + 0x100] : i32 = 0x1 ts 0
  initseq.condition strap 1 {
    initseq.write mmio[bar0 + 0x104] : i32 = 0x2 ts 10000000
    initseq.write mmio[bar0 + 0x108] : i32 = 0x3 ts 12000000
  } else {
    initseq.write mmio[bar0 + 0x10c] : i32 = 0x4 ts 20000000
    initseq.write mmio[bar0 + 0x110] : i32 = 0x5 ts 23000000
  }
}
