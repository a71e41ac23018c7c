// initseq-reduce on duplicate and overwritten writes, checked by simulating
// input and output against the same register map: the output must be
// equivalent AND smaller (so the test fails if the reduction breaks either
// way).

// RUN: gpuinit-opt %s --initseq-reduce='regmap=%S/Inputs/regmap.json' -o %t
// RUN: gpuinit-run simulate --regmap=%S/Inputs/regmap.json %s %t | FileCheck %s
// RUN: FileCheck %s --check-prefix=REDUCED < %t

// CHECK: @writes: equivalent: 9 device-visible events
// REDUCED-LABEL: initseq.sequence @writes
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001004] : i32 = 0x7
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x2
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x002000] : i32 = 0x1
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x002000] : i32 = 0x1
// REDUCED-NEXT:    initseq.delay 1 ms
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x3
// REDUCED-NEXT:    initseq.poll mmio[bar0 + 0x003000] : i32 mask 0x1 eq 0x1 timeout 10 ms
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x4
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x000200] : i32 = 0x1
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001008] : i32 = 0x9
// REDUCED-NEXT:    initseq.write cfg[0x040] : i32 = 0x1
// REDUCED-NEXT:    initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x2
// REDUCED-NEXT:    initseq.delay 5 us
// REDUCED-NEXT:    initseq.write io[0x3da] : i8 = 0x0
// REDUCED-NEXT:    initseq.write io[0x3da] : i8 = 0x0
// REDUCED-NEXT:  }
initseq.sequence @writes {
  // Overwritten before anything observes it.
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x1
  initseq.write mmio[bar0 + 0x1004] : i32 = 0x7
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x2
  // A FIFO sees both writes; plain storage written again with its value.
  initseq.write mmio[bar0 + 0x2000] : i32 = 0x1
  initseq.write mmio[bar0 + 0x1004] : i32 = 0x7
  initseq.write mmio[bar0 + 0x2000] : i32 = 0x1
  initseq.delay 1 ms
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x2
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x3
  initseq.poll mmio[bar0 + 0x3000] : i32 mask 0x1 eq 0x1 timeout 10 ms
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x4
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1
  initseq.write mmio[bar0 + 0x1008] : i32 = 0x8
  initseq.write mmio[bar0 + 0x1008] : i32 = 0x9
  initseq.write cfg[0x40] : i32 = 0x1
  initseq.write cfg[0x40] : i32 = 0x1
  initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x1
  initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x2
  initseq.delay 5 us
  initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x2
  initseq.write io[0x3da] : i8 = 0x0
  initseq.write io[0x3da] : i8 = 0x0
}
