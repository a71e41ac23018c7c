// RUN: gpuinit-opt %s | FileCheck %s
// RUN: gpuinit-opt %s | gpuinit-opt | FileCheck %s
// RUN: gpuinit-opt %s -mlir-print-op-generic | gpuinit-opt | FileCheck %s

// CHECK-LABEL: initseq.sequence @meta origin trace pci 0x10de:0x0fc6 sha1 "0123456789abcdef0123456789abcdef01234567" incomplete {
initseq.sequence @meta origin trace pci 0x10de:0x0fc6 sha1 "0123456789abcdef0123456789abcdef01234567" incomplete {
}

// CHECK-LABEL: initseq.sequence @spaces {
initseq.sequence @spaces {
  // CHECK-NEXT: initseq.write cfg[0x004] : i16 = 0x7
  initseq.write cfg[4] : i16 = 7
  // CHECK-NEXT: initseq.write cfg[0xffc] : i32 = 0xdeadbeef
  initseq.write cfg[0xffc] : i32 = 0xdeadbeef
  // CHECK-NEXT: initseq.write mmio[bar0 + 0x001540] : i32 = 0x1
  initseq.write mmio[bar0 + 0x1540] : i32 = 0x1
  // CHECK-NEXT: initseq.write mmio[bar5 + 0x000008] : i64 = 0xffffffffffffffff
  initseq.write mmio[bar5 + 0x8] : i64 = 0xffffffffffffffff
  // CHECK-NEXT: initseq.write io[0x3c2] : i8 = 0x1
  initseq.write io[0x3c2] : i8 = 0x1
  // CHECK-NEXT: initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x20
  initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x20
}

// CHECK-LABEL: initseq.sequence @ops {
initseq.sequence @ops {
  // CHECK-NEXT: initseq.rmw mmio[bar0 + 0x00c040] : i32 and 0xffffff00 or 0x11
  initseq.rmw mmio[bar0 + 0xc040] : i32 and 0xffffff00 or 0x11
  // CHECK-NEXT: initseq.read mmio[bar0 + 0x000000] : i32 -> 0xe63a0a1 ts 12000530000
  initseq.read mmio[bar0 + 0x0] : i32 -> 0xe63a0a1 ts 12000530000
  // CHECK-NEXT: initseq.read io[0x3da] : i8{{$}}
  initseq.read io[0x3da] : i8
  // CHECK-NEXT: initseq.block_write mmio[bar0 + 0x001000] : i32 stride 0x4 = [0x1, 0x2, 0x3]
  initseq.block_write mmio[bar0 + 0x1000] : i32 stride 4 = [1, 2, 3]
  // CHECK-NEXT: initseq.poll mmio[bar0 + 0x00e100] : i32 mask 0x2 eq 0x2 timeout 100 ms took 20 us
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 100000 us took 20000 ns
  // CHECK-NEXT: initseq.poll idxio[0x3c4:0x3c5][0x01] : i8 mask 0x80 ne 0x0 timeout 1 s
  initseq.poll idxio[0x3c4:0x3c5][0x1] : i8 mask 0x80 ne 0x0 timeout 1 s
  // CHECK-NEXT: initseq.delay 1500 ns
  initseq.delay 1500 ns
  // CHECK-NEXT: initseq.delay 2 s
  initseq.delay 2000 ms
  // CHECK-NEXT: initseq.condition not strap 0x3 "strap bits 3:2 == 1" at 0x40 {
  // CHECK-NEXT:   initseq.condition ramcfg 0x2 {
  // CHECK-NEXT:     initseq.write mmio[bar0 + 0x100200] : i32 = 0x1
  // CHECK-NEXT:   }
  // CHECK-NEXT: }
  initseq.condition not strap 3 "strap bits 3:2 == 1" at 0x40 {
    initseq.condition ramcfg 2 {
      initseq.write mmio[bar0 + 0x100200] : i32 = 0x1
    }
  }
  // One test chooses the body or the else body; an else is printed only when
  // the op has one, and an empty one is kept as written.
  // CHECK-NEXT: initseq.condition condition 0x5 "flag" at 0x80 {
  // CHECK-NEXT:   initseq.write mmio[bar0 + 0x100204] : i32 = 0x1
  // CHECK-NEXT: } else {
  // CHECK-NEXT:   initseq.write mmio[bar0 + 0x100204] : i32 = 0x2
  // CHECK-NEXT:   initseq.condition not io_condition 0x1 {
  // CHECK-NEXT:   } else {
  // CHECK-NEXT:     initseq.delay 1 us
  // CHECK-NEXT:   }
  // CHECK-NEXT:   initseq.condition strap 0x0 {
  // CHECK-NEXT:   } else {
  // CHECK-NEXT:   }
  // CHECK-NEXT: }
  initseq.condition condition 5 "flag" at 0x80 {
    initseq.write mmio[bar0 + 0x100204] : i32 = 0x1
  } else {
    initseq.write mmio[bar0 + 0x100204] : i32 = 0x2
    initseq.condition not io_condition 1 {
    } else {
      initseq.delay 1 us
    }
    initseq.condition strap 0 {} else {}
  }
  // CHECK-NEXT: initseq.opaque "INIT_PLL"(0x4010, 0x61a8) bytes "79104000a8610000" at 0x2f1 script 1
  initseq.opaque "INIT_PLL"(0x4010, 0x61a8) bytes "79104000a8610000" at 0x2f1 script 1
  // CHECK-NEXT: initseq.opaque "I2C"()
  initseq.opaque "I2C"()
  // CHECK-NEXT: initseq.note "loading driver" ts 12000100000
  initseq.note "loading driver" ts 12000100000
  // CHECK-NEXT: initseq.write cfg[0x004] : i16 = 0x7 at 0x1c2 script 3 ts 5
  initseq.write cfg[0x4] : i16 = 0x7 at 0x1c2 script 3 ts 5
}

// The register attribute also has a standalone form.
// CHECK-LABEL: initseq.sequence @attr
// CHECK-SAME: reg = #initseq.reg<mmio[bar2 + 0x000010]>
initseq.sequence @attr attributes {reg = #initseq.reg<mmio[bar2 + 0x10]>} {
}

// Discardable attributes survive the custom syntax.
// CHECK-LABEL: initseq.sequence @discardable
// CHECK-NEXT:    initseq.write mmio[bar0 + 0x000000] : i32 = 0x1 ts 3 {my.tag = "x"}
// CHECK-NEXT:    initseq.delay 1 us {my.tag = 1 : i32}
initseq.sequence @discardable {
  initseq.write mmio[bar0 + 0x0] : i32 = 0x1 ts 3 {my.tag = "x"}
  initseq.delay 1000 ns {my.tag = 1 : i32}
}
