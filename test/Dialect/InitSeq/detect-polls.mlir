// RUN: gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-detect-polls))' -mlir-pass-statistics 2>%t.stats | FileCheck %s
// RUN: FileCheck %s --check-prefix=STATS < %t.stats
// RUN: not gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-detect-polls{min-reads=1}))' 2>&1 | FileCheck %s --check-prefix=BADOPT

// STATS:      InitSeqDetectPolls
// STATS-NEXT:   (S) 6 polls-detected
// STATS-NEXT:   (S) 19 reads-folded
// BADOPT: need min-reads >= 2

// Bit 1 flips after three reads over 40 us: timeout = 10 x 40 us, raised to
// the 1 ms minimum.
// CHECK-LABEL: initseq.sequence @ready_bit
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000100] : i32 = 0x1 ts 1000
// CHECK-NEXT:    initseq.poll mmio[bar0 + 0x00e100] : i32 mask 0x2 eq 0x2 timeout 1 ms took 40 us ts 2000
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000104] : i32 = 0x2
// CHECK-NEXT:  }
initseq.sequence @ready_bit {
  initseq.write mmio[bar0 + 0x100] : i32 = 0x1 ts 1000
  initseq.read mmio[bar0 + 0xe100] : i32 -> 0x10 ts 2000
  initseq.read mmio[bar0 + 0xe100] : i32 -> 0x10 ts 12000
  initseq.read mmio[bar0 + 0xe100] : i32 -> 0x10 ts 22000
  initseq.read mmio[bar0 + 0xe100] : i32 -> 0x12 ts 42000
  initseq.write mmio[bar0 + 0x104] : i32 = 0x2
}

// A busy bit clearing after 20 ms: timeout 200 ms; a 2 s wait is capped at
// the 1 s maximum.
// CHECK-LABEL: initseq.sequence @busy_clear
// CHECK-NEXT:    initseq.poll mmio[bar0 + 0x000200] : i32 mask 0x80000000 eq 0x0 timeout 200 ms took 20 ms ts 0
// CHECK-NEXT:    initseq.poll io[0x3da] : i8 mask 0x9 eq 0x8 timeout 1 s took 2 s ts 100000000
initseq.sequence @busy_clear {
  initseq.read mmio[bar0 + 0x200] : i32 -> 0x80000000 ts 0
  initseq.read mmio[bar0 + 0x200] : i32 -> 0x80000000 ts 10000000
  initseq.read mmio[bar0 + 0x200] : i32 -> 0x0 ts 20000000
  initseq.read io[0x3da] : i8 -> 0x1 ts 100000000
  initseq.read io[0x3da] : i8 -> 0x1 ts 1100000000
  initseq.read io[0x3da] : i8 -> 0x8 ts 2100000000
}

// Too short a run, a value that never changes, reads of different
// registers and reads without observed values stay reads.
// CHECK-LABEL: initseq.sequence @not_polls
// CHECK-COUNT-2: initseq.read mmio[bar0 + 0x000300]
// CHECK-COUNT-3: initseq.read mmio[bar0 + 0x000304]
// CHECK-NEXT:    initseq.read mmio[bar0 + 0x000308] : i32 -> 0x0
// CHECK-NEXT:    initseq.read mmio[bar0 + 0x00030c] : i32 -> 0x0
// CHECK-NEXT:    initseq.read mmio[bar0 + 0x000308] : i32 -> 0x1
// CHECK-COUNT-3: initseq.read mmio[bar0 + 0x000310] : i32{{$}}
// CHECK-NOT:     initseq.poll
initseq.sequence @not_polls {
  initseq.read mmio[bar0 + 0x300] : i32 -> 0x0
  initseq.read mmio[bar0 + 0x300] : i32 -> 0x1
  initseq.read mmio[bar0 + 0x304] : i32 -> 0x5
  initseq.read mmio[bar0 + 0x304] : i32 -> 0x5
  initseq.read mmio[bar0 + 0x304] : i32 -> 0x5
  initseq.read mmio[bar0 + 0x308] : i32 -> 0x0
  initseq.read mmio[bar0 + 0x30c] : i32 -> 0x0
  initseq.read mmio[bar0 + 0x308] : i32 -> 0x1
  initseq.read mmio[bar0 + 0x310] : i32
  initseq.read mmio[bar0 + 0x310] : i32
  initseq.read mmio[bar0 + 0x310] : i32
}

// Without timestamps the timeout is the maximum; reads after the change
// stay reads.
// CHECK-LABEL: initseq.sequence @no_ts
// CHECK-NEXT:    initseq.poll mmio[bar0 + 0x000400] : i32 mask 0x1 eq 0x1 timeout 1 s{{$}}
// CHECK-NEXT:    initseq.read mmio[bar0 + 0x000400] : i32 -> 0x1
// CHECK-NEXT:  }
initseq.sequence @no_ts {
  initseq.read mmio[bar0 + 0x400] : i32 -> 0x0
  initseq.read mmio[bar0 + 0x400] : i32 -> 0x0
  initseq.read mmio[bar0 + 0x400] : i32 -> 0x1
  initseq.read mmio[bar0 + 0x400] : i32 -> 0x1
}

// A run never crosses a condition: the reads before it, in its body, in its
// else body and after it are scanned each on their own (two equal reads
// before the op and one changed read in a body or after the op are no poll).
// CHECK-LABEL: initseq.sequence @conditions
// CHECK-COUNT-2: initseq.read mmio[bar0 + 0x000500] : i32 -> 0x0
// CHECK-NEXT:    initseq.condition strap 0x1 {
// CHECK-NEXT:      initseq.read mmio[bar0 + 0x000500] : i32 -> 0x1
// CHECK-NEXT:      initseq.poll mmio[bar0 + 0x000504] : i32 mask 0x1 eq 0x1 timeout 1 s{{$}}
// CHECK-NEXT:    } else {
// CHECK-NEXT:      initseq.read mmio[bar0 + 0x000500] : i32 -> 0x1
// CHECK-NEXT:      initseq.poll mmio[bar0 + 0x000508] : i32 mask 0x4 eq 0x4 timeout 1 s{{$}}
// CHECK-NEXT:    }
// CHECK-NEXT:    initseq.read mmio[bar0 + 0x000500] : i32 -> 0x1
// CHECK-NEXT:  }
initseq.sequence @conditions {
  initseq.read mmio[bar0 + 0x500] : i32 -> 0x0
  initseq.read mmio[bar0 + 0x500] : i32 -> 0x0
  initseq.condition strap 1 {
    initseq.read mmio[bar0 + 0x500] : i32 -> 0x1
    initseq.read mmio[bar0 + 0x504] : i32 -> 0x0
    initseq.read mmio[bar0 + 0x504] : i32 -> 0x0
    initseq.read mmio[bar0 + 0x504] : i32 -> 0x1
  } else {
    initseq.read mmio[bar0 + 0x500] : i32 -> 0x1
    initseq.read mmio[bar0 + 0x508] : i32 -> 0x0
    initseq.read mmio[bar0 + 0x508] : i32 -> 0x0
    initseq.read mmio[bar0 + 0x508] : i32 -> 0x4
  }
  initseq.read mmio[bar0 + 0x500] : i32 -> 0x1
}
