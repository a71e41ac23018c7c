// initseq-reduce around conditions, checked by simulation: writes inside a
// body reduce against what is known on entry; nothing moves across the
// condition's boundaries.

// RUN: gpuinit-opt %s --initseq-reduce='regmap=%S/Inputs/regmap.json' -o %t
// RUN: gpuinit-run simulate --regmap=%S/Inputs/regmap.json %s %t | FileCheck %s
// RUN: FileCheck %s --check-prefix=REDUCED < %t

// CHECK: @conditions: equivalent: 10 device-visible events
// REDUCED-LABEL: initseq.sequence @conditions
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x5
// REDUCED-NEXT:    initseq.condition strap 0x3 "strap bits 3:2 == 1" {
// REDUCED-NEXT:      initseq.write mmio[bar0 + 0x001004] : i32 = 0x2
// REDUCED-NEXT:      initseq.write mmio[bar0 + 0x000200] : i32 = 0x1
// REDUCED-NEXT:      initseq.condition not ramcfg 0x1 {
// REDUCED-NEXT:        initseq.write mmio[bar0 + 0x001008] : i32 = 0x4
// REDUCED-NEXT:      }
// REDUCED-NEXT:    }
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001004] : i32 = 0x2
// REDUCED-NEXT:    initseq.delay 1 ms
// REDUCED-NEXT:    initseq.condition condition 0x7 {
// REDUCED-NEXT:      initseq.opaque "INIT_PLL"{{ ?}}(0x4010, 0x61a8)
// REDUCED-NEXT:    }
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x5
// REDUCED-NEXT:  }
initseq.sequence @conditions {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x5
  initseq.condition strap 0x3 "strap bits 3:2 == 1" {
    // Known on entry.
    initseq.write mmio[bar0 + 0x1000] : i32 = 0x5
    // Overwritten inside the body.
    initseq.write mmio[bar0 + 0x1004] : i32 = 0x1
    initseq.write mmio[bar0 + 0x1004] : i32 = 0x2
    initseq.write mmio[bar0 + 0x200] : i32 = 0x1
    initseq.condition not ramcfg 0x1 {
      initseq.write mmio[bar0 + 0x1008] : i32 = 0x3
      initseq.write mmio[bar0 + 0x1008] : i32 = 0x4
    }
  }
  // Not redundant: the body may not have run.
  initseq.write mmio[bar0 + 0x1004] : i32 = 0x2
  initseq.delay 1 ms
  initseq.write mmio[bar0 + 0x1004] : i32 = 0x2
  initseq.condition condition 0x7 {
    initseq.opaque "INIT_PLL" (0x4010, 0x61a8)
  }
  // The opaque op may have changed anything.
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x5
}
