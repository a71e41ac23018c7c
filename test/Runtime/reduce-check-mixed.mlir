// initseq-reduce on several sequences of one file with mixed widths, block
// writes, reads and polls, checked by simulation (sequences pair by name).

// RUN: gpuinit-opt %s --initseq-reduce='regmap=%S/Inputs/regmap.json' -o %t
// RUN: gpuinit-run simulate --regmap=%S/Inputs/regmap.json %s %t | FileCheck %s
// RUN: FileCheck %s --check-prefix=REDUCED < %t

// CHECK: @widths: equivalent: 2 device-visible events
// REDUCED-LABEL: initseq.sequence @widths
// REDUCED-COUNT-5: initseq.write
// REDUCED-NOT:     initseq.write
// REDUCED:       initseq.delay 1 ms
// REDUCED-NEXT:  }
initseq.sequence @widths {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x12345678
  initseq.write mmio[bar0 + 0x1000] : i16 = 0x1111
  initseq.write mmio[bar0 + 0x1000] : i16 = 0x5678
  initseq.write mmio[bar0 + 0x1002] : i8 = 0x34
  initseq.write mmio[bar0 + 0x1010] : i64 = 0x1
  initseq.write mmio[bar0 + 0x1010] : i64 = 0x2
  initseq.write mmio[bar0 + 0x1016] : i32 = 0xffff
  initseq.delay 1 ms
}

// CHECK: @blocks: equivalent: 5 device-visible events
// REDUCED-LABEL: initseq.sequence @blocks
// REDUCED-NEXT:    initseq.block_write mmio[bar0 + 0x001020] : i32 stride 0x4 = [0x1, 0x2, 0x3]
// REDUCED-NEXT:    initseq.block_write mmio[bar0 + 0x000400] : i32 stride 0x4 = [0x1, 0x2]
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001024] : i32 = 0x5
// REDUCED-NEXT:    initseq.read mmio[bar0 + 0x000500] : i32
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001028] : i32 = 0x6
// REDUCED-NEXT:    initseq.poll mmio[bar0 + 0x001028] : i32 mask 0x6 eq 0x6 timeout 1 ms
// REDUCED-NEXT:  }
initseq.sequence @blocks {
  initseq.write mmio[bar0 + 0x1020] : i32 = 0x9
  initseq.block_write mmio[bar0 + 0x1020] : i32 stride 0x4 = [0x1, 0x2, 0x3]
  initseq.write mmio[bar0 + 0x1024] : i32 = 0x2
  initseq.block_write mmio[bar0 + 0x400] : i32 stride 0x4 = [0x1, 0x2]
  initseq.write mmio[bar0 + 0x1024] : i32 = 0x5
  initseq.read mmio[bar0 + 0x500] : i32
  initseq.write mmio[bar0 + 0x1028] : i32 = 0x7
  initseq.write mmio[bar0 + 0x1028] : i32 = 0x6
  initseq.poll mmio[bar0 + 0x1028] : i32 mask 0x6 eq 0x6 timeout 1 ms
}
