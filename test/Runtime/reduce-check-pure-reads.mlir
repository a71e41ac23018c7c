// initseq-reduce with drop-pure-reads, checked by simulation: reads of
// read-pure (and plain) registers are no device-visible events, reads with
// side effects are.

// RUN: gpuinit-opt %s --initseq-reduce='regmap=%S/Inputs/regmap.json drop-pure-reads=true' -o %t
// RUN: gpuinit-run simulate --regmap=%S/Inputs/regmap.json %s %t | FileCheck %s
// RUN: FileCheck %s --check-prefix=REDUCED < %t

// CHECK: @reads: equivalent: 4 device-visible events
// REDUCED-LABEL: initseq.sequence @reads
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x000200] : i32 = 0x1
// REDUCED-NEXT:    initseq.read mmio[bar0 + 0x003004] : i32
// REDUCED-NEXT:    initseq.delay 1 ms
// REDUCED-NEXT:  }
initseq.sequence @reads {
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1
  initseq.read mmio[bar0 + 0x3000] : i32 -> 0x1
  initseq.read mmio[bar0 + 0x3004] : i32
  initseq.read mmio[bar0 + 0x1000] : i32
  initseq.delay 1 ms
}
