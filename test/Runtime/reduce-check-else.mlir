// initseq-reduce around conditions with else bodies, checked by simulation:
// each body reduces against what is known before the condition, whatever the
// other body does (exactly one of them runs), and nothing moves across the
// condition's boundaries. An else body the reduction empties is no else to
// the device.

// RUN: gpuinit-opt %s --initseq-reduce='regmap=%S/Inputs/regmap.json' -o %t
// RUN: gpuinit-run simulate --regmap=%S/Inputs/regmap.json %s %t | FileCheck %s
// RUN: FileCheck %s --check-prefix=REDUCED < %t

// CHECK: @else_bodies: equivalent: 10 device-visible events
// CHECK: @else_emptied: equivalent: 4 device-visible events
// CHECK: @opaque_body: equivalent: 8 device-visible events

// REDUCED-LABEL: initseq.sequence @else_bodies
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001000] : i32 = 0x5
// REDUCED-NEXT:    initseq.write cfg[0x040] : i32 = 0x1
// REDUCED-NEXT:    initseq.condition condition 0x5 "flag" {
// REDUCED-NEXT:      initseq.write mmio[bar0 + 0x001004] : i32 = 0x1
// REDUCED-NEXT:    } else {
// REDUCED-NEXT:      initseq.write mmio[bar0 + 0x001004] : i32 = 0x3
// REDUCED-NEXT:      initseq.write mmio[bar0 + 0x000200] : i32 = 0x1
// REDUCED-NEXT:      initseq.condition not strap 0x1 {
// REDUCED-NEXT:      } else {
// REDUCED-NEXT:        initseq.write cfg[0x040] : i32 = 0x2
// REDUCED-NEXT:        initseq.delay 1 us
// REDUCED-NEXT:      }
// REDUCED-NEXT:    }
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001004] : i32 = 0x3
// REDUCED-NEXT:    initseq.write cfg[0x040] : i32 = 0x1
// REDUCED-NEXT:    initseq.delay 1 ms
// REDUCED-NEXT:  }
initseq.sequence @else_bodies {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x5
  initseq.write cfg[0x40] : i32 = 0x1
  initseq.condition condition 0x5 "flag" {
    // Known on entry.
    initseq.write mmio[bar0 + 0x1000] : i32 = 0x5
    initseq.write mmio[bar0 + 0x1004] : i32 = 0x1
  } else {
    // Known on entry, whatever the body does.
    initseq.write mmio[bar0 + 0x1000] : i32 = 0x5
    // Overwritten inside the else body.
    initseq.write mmio[bar0 + 0x1004] : i32 = 0x2
    initseq.write mmio[bar0 + 0x1004] : i32 = 0x3
    initseq.write mmio[bar0 + 0x200] : i32 = 0x1
    initseq.condition not strap 0x1 {
      // Known on entry to the outer condition.
      initseq.write cfg[0x40] : i32 = 0x1
    } else {
      initseq.write cfg[0x40] : i32 = 0x2
      initseq.delay 1 us
      initseq.write cfg[0x40] : i32 = 0x2
    }
  }
  // Not redundant: either body may have run.
  initseq.write mmio[bar0 + 0x1004] : i32 = 0x3
  initseq.write cfg[0x40] : i32 = 0x1
  // Neither body (as reduced) writes it: still known.
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x5
  initseq.delay 1 ms
}

// REDUCED-LABEL: initseq.sequence @else_emptied
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x001008] : i32 = 0x7
// REDUCED-NEXT:    initseq.condition strap 0x3 {
// REDUCED-NEXT:      initseq.write mmio[bar0 + 0x001008] : i32 = 0x8
// REDUCED-NEXT:    } else {
// REDUCED-NEXT:    }
// REDUCED-NEXT:    initseq.delay 1 ms
initseq.sequence @else_emptied {
  initseq.write mmio[bar0 + 0x1008] : i32 = 0x7
  initseq.condition strap 0x3 {
    initseq.write mmio[bar0 + 0x1008] : i32 = 0x8
  } else {
    initseq.write mmio[bar0 + 0x1008] : i32 = 0x7
  }
  initseq.delay 1 ms
}

// An opaque op in the body forgets everything on that path only: the else
// body still starts from what was known before the condition.
// REDUCED-LABEL: initseq.sequence @opaque_body
// REDUCED:         } else {
// REDUCED-NEXT:      initseq.delay 1 us
// REDUCED-NEXT:    }
// REDUCED-NEXT:    initseq.write mmio[bar0 + 0x00100c] : i32 = 0x1
initseq.sequence @opaque_body {
  initseq.write mmio[bar0 + 0x100c] : i32 = 0x1
  initseq.condition ramcfg 0x1 {
    initseq.write mmio[bar0 + 0x1010] : i32 = 0x4
    initseq.condition strap 0x2 {
      initseq.opaque "INIT_PLL" (0x4010)
    }
  } else {
    initseq.write mmio[bar0 + 0x100c] : i32 = 0x1
    initseq.delay 1 us
  }
  initseq.write mmio[bar0 + 0x100c] : i32 = 0x1
}
