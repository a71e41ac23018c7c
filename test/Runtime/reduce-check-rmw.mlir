// initseq-reduce on read-modify-writes, checked by simulation: a known plain
// value turns an rmw into a write (or nothing), a read-pure register with an
// and-mask of 0 needs no read; side-effecting reads stay.

// RUN: gpuinit-opt %s --initseq-reduce='regmap=%S/Inputs/regmap.json' -o %t
// RUN: gpuinit-run simulate --regmap=%S/Inputs/regmap.json %s %t | FileCheck %s
// RUN: FileCheck %s --check-prefix=REDUCED < %t

// CHECK: @rmw: equivalent: 7 device-visible events
// REDUCED-LABEL: initseq.sequence @rmw
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0xabcd1234
// REDUCED-NEXT:    initseq.delay 1 us
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x134
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x003000] : i32 = 0x5
// REDUCED-NEXT:    initseq.rmw mmio[bar0 + 0x001004] : i32 and 0xffff00ff or 0x1200
// REDUCED-NEXT:    initseq.rmw mmio[bar0 + 0x002004] : i32 and 0xffffff00 or 0x11
// REDUCED-NEXT:    initseq.rmw mmio[bar0 + 0x003004] : i32 and 0x0 or 0x1
// REDUCED-NEXT:  }
initseq.sequence @rmw {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0xabcd1234
  initseq.delay 1 us
  // Known value: the result is a write, then nothing changes.
  initseq.rmw mmio[bar0 + 0x1000] : i32 and 0xff or 0x100
  initseq.rmw mmio[bar0 + 0x1000] : i32 and 0xffffffff or 0x4
  // Read-pure, and-mask 0: the read does not matter.
  initseq.rmw mmio[bar0 + 0x3000] : i32 and 0x0 or 0x5
  // Unknown plain value: the read is needed to compute the result.
  initseq.rmw mmio[bar0 + 0x1004] : i32 and 0xffff00ff or 0x1200
  // Write-1-to-clear and read-clears registers keep both halves.
  initseq.rmw mmio[bar0 + 0x2004] : i32 and 0xffffff00 or 0x11
  initseq.rmw mmio[bar0 + 0x3004] : i32 and 0x0 or 0x1
}
