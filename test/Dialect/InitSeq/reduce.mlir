// RUN: gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-reduce{regmap=%S/Inputs/regmap.json}))' -split-input-file -mlir-pass-statistics 2>%t.stats | FileCheck %s
// RUN: FileCheck %s --check-prefix=STATS < %t.stats
// Without a register map every register has side effects: nothing changes.
// RUN: gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-reduce))' -split-input-file | FileCheck %s --check-prefix=NOMAP

// STATS: InitSeqReduce
// STATS-DAG: (S) {{[0-9]+}} dead-writes
// STATS-DAG: (S) {{[0-9]+}} duplicate-writes
// STATS-DAG: (S) {{[0-9]+}} rmw-to-write

// CHECK-LABEL: initseq.sequence @dup_plain
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x1
// CHECK-NEXT:    initseq.delay 1 ms
// CHECK-NEXT:  }
// NOMAP-LABEL: initseq.sequence @dup_plain
// NOMAP-COUNT-2: initseq.write mmio[bar0 + 0x001000] : i32 = 0x1
initseq.sequence @dup_plain {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x1
  initseq.delay 1 ms
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x1
}

// -----

// A FIFO sees both writes.
// CHECK-LABEL: initseq.sequence @dup_fifo
// CHECK-COUNT-2: initseq.write mmio[bar0 + 0x002000] : i32 = 0x1
initseq.sequence @dup_fifo {
  initseq.write mmio[bar0 + 0x2000] : i32 = 0x1
  initseq.write mmio[bar0 + 0x2000] : i32 = 0x1
}

// -----

// An unmapped register (a doorbell, say) sees both writes.
// CHECK-LABEL: initseq.sequence @dup_unknown
// CHECK-COUNT-2: initseq.write mmio[bar0 + 0x000200] : i32 = 0x1
initseq.sequence @dup_unknown {
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1
}

// -----

// Overwritten before anything could observe it: the first write goes.
// CHECK-LABEL: initseq.sequence @dead_plain
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001004] : i32 = 0x7
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x2
// CHECK-NEXT:  }
initseq.sequence @dead_plain {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x1
  initseq.write mmio[bar0 + 0x1004] : i32 = 0x7
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x2
}

// -----

// The device may act on the first value while time passes, while a
// side-effecting register is written, or while a poll waits.
// CHECK-LABEL: initseq.sequence @dead_blocked
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x1
// CHECK-NEXT:    initseq.delay 10 us
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x2
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000200] : i32 = 0x1
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x3
// CHECK-NEXT:    initseq.poll
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x4
// CHECK-NEXT:    initseq.read mmio[bar0 + 0x001000] : i32
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x5
initseq.sequence @dead_blocked {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x1
  initseq.delay 10 us
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x2
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x3
  initseq.poll mmio[bar0 + 0x1010] : i32 mask 0x1 eq 0x1 timeout 1 ms
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x4
  initseq.read mmio[bar0 + 0x1000] : i32
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x5
}

// -----

// A narrower write to part of a plain register is a different access: the
// wide write is not dead, and the known value is forgotten.
// CHECK-LABEL: initseq.sequence @partial
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x11223344
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001001] : i8 = 0x0
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x11223344
initseq.sequence @partial {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x11223344
  initseq.write mmio[bar0 + 0x1001] : i8 = 0x0
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x11223344
}

// -----

// A read-modify-write of a plain register whose value is known becomes a
// write (or nothing, when it changes nothing).
// CHECK-LABEL: initseq.sequence @rmw_known
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0xff11
// CHECK-NEXT:    initseq.delay 1 us
// CHECK-NEXT:  }
initseq.sequence @rmw_known {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0xff00
  initseq.rmw mmio[bar0 + 0x1000] : i32 and 0xfffffff0 or 0x11
  initseq.delay 1 us
  initseq.rmw mmio[bar0 + 0x1000] : i32 and 0xffffffff or 0x1
}

// -----

// An unknown plain value keeps the read-modify-write; an and-mask of zero
// makes the old value irrelevant, so a read-pure register gets a write. A
// register whose reads may have side effects keeps its read.
// CHECK-LABEL: initseq.sequence @rmw_unknown
// CHECK-NEXT:    initseq.rmw mmio[bar0 + 0x001000] : i32 and 0xff or 0x1
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x003000] : i32 = 0x5
// CHECK-NEXT:    initseq.rmw mmio[bar0 + 0x002004] : i32 and 0x0 or 0x5
initseq.sequence @rmw_unknown {
  initseq.rmw mmio[bar0 + 0x1000] : i32 and 0xff or 0x1
  initseq.rmw mmio[bar0 + 0x3000] : i32 and 0x0 or 0x5
  initseq.rmw mmio[bar0 + 0x2004] : i32 and 0x0 or 0x5
}

// -----

// Opaque ops may touch anything; so may the body of a condition.
// CHECK-LABEL: initseq.sequence @barriers
// CHECK-COUNT-2: initseq.write cfg[0x040] : i32 = 0x1
// CHECK:         initseq.condition
// CHECK-NEXT:      initseq.write cfg[0x040] : i32 = 0x2
// CHECK:         initseq.write cfg[0x040] : i32 = 0x1
initseq.sequence @barriers {
  initseq.write cfg[0x40] : i32 = 0x1
  initseq.opaque "INIT_PLL"(0x1)
  initseq.write cfg[0x40] : i32 = 0x1
  initseq.condition strap 0x1 {
    initseq.write cfg[0x40] : i32 = 0x2
  }
  initseq.write cfg[0x40] : i32 = 0x1
}

// -----

// Known values flow into a condition body, and indexed I/O is reduced per
// index.
// CHECK-LABEL: initseq.sequence @into_condition
// CHECK-NEXT:    initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x20
// CHECK-NEXT:    initseq.condition ramcfg 0x0 {
// CHECK-NEXT:      initseq.write idxio[0x3d4:0x3d5][0x12] : i8 = 0x20
// CHECK-NEXT:    }
initseq.sequence @into_condition {
  initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x20
  initseq.condition ramcfg 0 {
    initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x20
    initseq.write idxio[0x3d4:0x3d5][0x12] : i8 = 0x20
  }
}

// -----

// The body and the else body are reduced each on its own, from what is known
// before the op (exactly one of them runs): a value known before flows into
// the else body (0x100c), the body's values do not (0x1000), and an
// overwritten write inside the else body goes (0x1004 = 0x1). Nothing
// crosses the op: the write before it that the else body overwrites stays
// (cfg 0x40), so does the else body's last write that a write after the op
// overwrites (0x1004 = 0x2), and a register the else body writes is unknown
// after the op (cfg 0x40 = 0x1 again). One no body writes stays known
// (0x1008). An else body left empty stays, and so does the op.
// CHECK-LABEL: initseq.sequence @else_body
// CHECK-NEXT:    initseq.write cfg[0x040] : i32 = 0x1
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001008] : i32 = 0x9
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x00100c] : i32 = 0x7
// CHECK-NEXT:    initseq.condition strap 0x1 {
// CHECK-NEXT:      initseq.write mmio[bar0 + 0x001000] : i32 = 0x5
// CHECK-NEXT:    } else {
// CHECK-NEXT:      initseq.write mmio[bar0 + 0x001000] : i32 = 0x5
// CHECK-NEXT:      initseq.write mmio[bar0 + 0x001004] : i32 = 0x2
// CHECK-NEXT:      initseq.write cfg[0x040] : i32 = 0x2
// CHECK-NEXT:    }
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001004] : i32 = 0x3
// CHECK-NEXT:    initseq.write cfg[0x040] : i32 = 0x1
// CHECK-NEXT:    initseq.condition ramcfg 0x0 {
// CHECK-NEXT:    } else {
// CHECK-NEXT:    }
// CHECK-NEXT:  }
initseq.sequence @else_body {
  initseq.write cfg[0x40] : i32 = 0x1
  initseq.write mmio[bar0 + 0x1008] : i32 = 0x9
  initseq.write mmio[bar0 + 0x100c] : i32 = 0x7
  initseq.condition strap 0x1 {
    initseq.write mmio[bar0 + 0x1000] : i32 = 0x5
  } else {
    initseq.write mmio[bar0 + 0x100c] : i32 = 0x7
    initseq.write mmio[bar0 + 0x1000] : i32 = 0x5
    initseq.write mmio[bar0 + 0x1004] : i32 = 0x1
    initseq.write mmio[bar0 + 0x1004] : i32 = 0x2
    initseq.write cfg[0x40] : i32 = 0x2
  }
  initseq.write mmio[bar0 + 0x1004] : i32 = 0x3
  initseq.write cfg[0x40] : i32 = 0x1
  initseq.condition ramcfg 0x0 {
  } else {
    initseq.write mmio[bar0 + 0x1008] : i32 = 0x9
  }
  initseq.write mmio[bar0 + 0x1008] : i32 = 0x9
}

// -----

// An opaque op in the else body forgets every value after the op.
// CHECK-LABEL: initseq.sequence @else_opaque
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x1
// CHECK-NEXT:    initseq.condition strap 0x1 {
// CHECK-NEXT:    } else {
// CHECK-NEXT:      initseq.opaque "I2C"()
// CHECK-NEXT:    }
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x1
// CHECK-NEXT:  }
initseq.sequence @else_opaque {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x1
  initseq.condition strap 0x1 {
  } else {
    initseq.opaque "I2C"()
  }
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x1
}

// -----

// A block write to plain registers establishes their values.
// CHECK-LABEL: initseq.sequence @block
// CHECK-NEXT:    initseq.block_write mmio[bar0 + 0x001000] : i32 stride 0x4 = [0x1, 0x2]
// CHECK-NEXT:    initseq.delay
// CHECK-NEXT:  }
initseq.sequence @block {
  initseq.block_write mmio[bar0 + 0x1000] : i32 stride 4 = [1, 2]
  initseq.delay 1 ms
  initseq.write mmio[bar0 + 0x1004] : i32 = 0x2
}

// -----

// Reads of read-pure registers go only when asked for (a read also flushes
// posted writes, which a driver may rely on).
// RUN: gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-reduce{regmap=%S/Inputs/regmap.json drop-pure-reads=true}))' -split-input-file | FileCheck %s --check-prefix=DROP
// CHECK-LABEL: initseq.sequence @pure_reads
// CHECK-COUNT-3: initseq.read
// DROP-LABEL: initseq.sequence @pure_reads
// DROP-NEXT:    initseq.read mmio[bar0 + 0x002004] : i32
// DROP-NEXT:  }
initseq.sequence @pure_reads {
  initseq.read mmio[bar0 + 0x1000] : i32 -> 0x5
  initseq.read mmio[bar0 + 0x3000] : i32
  initseq.read mmio[bar0 + 0x2004] : i32
}
