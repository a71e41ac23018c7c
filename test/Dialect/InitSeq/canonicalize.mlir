// RUN: gpuinit-opt %s -canonicalize -split-input-file | FileCheck %s
// The one-walk driver of initseq-optimize-pipeline reaches the same result.
// RUN: gpuinit-opt %s --pass-pipeline="builtin.module(initseq.sequence(initseq-simplify))" -split-input-file | FileCheck %s

// CHECK-LABEL: initseq.sequence @delays
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000100] : i32 = 0x1
// CHECK-NEXT:    initseq.delay 1500 us
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000104] : i32 = 0x2
// CHECK-NEXT:  }
initseq.sequence @delays {
  initseq.write mmio[bar0 + 0x100] : i32 = 0x1
  initseq.delay 1 ms
  initseq.delay 0 ns
  initseq.delay 500 us
  initseq.write mmio[bar0 + 0x104] : i32 = 0x2
  initseq.delay 0 ns
}

// -----

// Delays separated by an access stay apart: the access happens in between.
// CHECK-LABEL: initseq.sequence @delays_apart
// CHECK-NEXT:    initseq.delay 1 ms
// CHECK-NEXT:    initseq.read mmio[bar0 + 0x000100] : i32
// CHECK-NEXT:    initseq.delay 1 ms
initseq.sequence @delays_apart {
  initseq.delay 1 ms
  initseq.read mmio[bar0 + 0x100] : i32
  initseq.delay 1 ms
}

// -----

// A sum that would overflow is not merged.
// CHECK-LABEL: initseq.sequence @delay_overflow
// CHECK-COUNT-2: initseq.delay
initseq.sequence @delay_overflow {
  initseq.delay 9223372036854775807 ns
  initseq.delay 1 ns
}

// -----

// The and-mask absorbs the or-mask bits; the read-modify-write stays one
// (its read may have side effects).
// CHECK-LABEL: initseq.sequence @rmw
// CHECK-NEXT:    initseq.rmw mmio[bar0 + 0x000100] : i32 and 0xffffff11 or 0x11
// CHECK-NEXT:    initseq.rmw mmio[bar0 + 0x000100] : i32 and 0x0 or 0x0
// CHECK-NEXT:    initseq.rmw mmio[bar0 + 0x000100] : i32 and 0xffffffff or 0x0
initseq.sequence @rmw {
  initseq.rmw mmio[bar0 + 0x100] : i32 and 0xffffff00 or 0x11
  initseq.rmw mmio[bar0 + 0x100] : i32 and 0x0 or 0x0
  initseq.rmw mmio[bar0 + 0x100] : i32 and 0xffffffff or 0x0
}

// -----

// CHECK-LABEL: initseq.sequence @single_block
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000100] : i32 = 0x5 ts 7
// CHECK-NEXT:    initseq.block_write mmio[bar0 + 0x000200] : i32 stride 0x4 = [0x1, 0x2]
initseq.sequence @single_block {
  initseq.block_write mmio[bar0 + 0x100] : i32 stride 4 = [5] ts 7
  initseq.block_write mmio[bar0 + 0x200] : i32 stride 4 = [1, 2]
}

// -----

// Canonicalization never drops an access, a poll, an opaque op or a
// condition, even an empty one (testing it reads the device).
// CHECK-LABEL: initseq.sequence @keep
// CHECK-COUNT-2: initseq.write mmio[bar0 + 0x000100] : i32 = 0x1
// CHECK-NEXT:    initseq.read
// CHECK-NEXT:    initseq.read
// CHECK-NEXT:    initseq.poll
// CHECK-NEXT:    initseq.condition strap 0x1 {
// CHECK-NEXT:    }
// CHECK-NEXT:    initseq.opaque "X"()
initseq.sequence @keep {
  initseq.write mmio[bar0 + 0x100] : i32 = 0x1
  initseq.write mmio[bar0 + 0x100] : i32 = 0x1
  initseq.read mmio[bar0 + 0x100] : i32
  initseq.read mmio[bar0 + 0x100] : i32
  initseq.poll mmio[bar0 + 0x100] : i32 mask 0x1 eq 0x1 timeout 1 ms
  initseq.condition strap 1 {
  }
  initseq.opaque "X"()
}

// -----

// An else body holding nothing is no else; the condition stays even when
// both bodies are empty, and a non-empty else body stays (a note is
// something). Nested conditions are canonicalized too, and an else body
// emptied by another canonicalization goes as well.
// CHECK-LABEL: initseq.sequence @empty_else
// CHECK-NEXT:    initseq.condition strap 0x1 {
// CHECK-NEXT:    }
// CHECK-NEXT:    initseq.condition strap 0x2 {
// CHECK-NEXT:      initseq.write mmio[bar0 + 0x000100] : i32 = 0x1
// CHECK-NEXT:    }
// CHECK-NEXT:    initseq.condition not ramcfg 0x3 {
// CHECK-NEXT:    } else {
// CHECK-NEXT:      initseq.note "kept"
// CHECK-NEXT:      initseq.condition ramcfg 0x4 {
// CHECK-NEXT:        initseq.delay 3 us
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    initseq.condition strap 0x5 {
// CHECK-NEXT:    }
// CHECK-NEXT:  }
initseq.sequence @empty_else {
  initseq.condition strap 1 {
  } else {
  }
  initseq.condition strap 2 {
    initseq.write mmio[bar0 + 0x100] : i32 = 0x1
  } else {
  }
  initseq.condition not ramcfg 3 {
  } else {
    initseq.note "kept"
    initseq.condition ramcfg 4 {
      initseq.delay 1 us
      initseq.delay 2 us
    } else {
    }
  }
  // Emptied by dropping a zero delay, then dropped.
  initseq.condition strap 5 {
  } else {
    initseq.delay 0 ns
  }
}

// -----

// A run of delays merges into the first, whatever the driver.
// CHECK-LABEL: initseq.sequence @delay_run
// CHECK-NEXT:    initseq.delay 4 us ts 1
// CHECK-NEXT:  }
initseq.sequence @delay_run {
  initseq.delay 1 us ts 1
  initseq.delay 1 us ts 2
  initseq.delay 0 ns
  initseq.delay 1 us
  initseq.delay 1 us
}
