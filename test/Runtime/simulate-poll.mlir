// A poll of plain storage whose known bits can never satisfy it is an error
// (the sequence would time out there), reported at the poll (exit 2).

// RUN: not gpuinit-run simulate --regmap=%S/Inputs/regmap.json --sequence=@never %s 2>&1 | FileCheck %s --check-prefix=NEVER
// RUN: not gpuinit-run simulate --regmap=%S/Inputs/regmap.json --sequence=@never %s %s 2>&1 | FileCheck %s --check-prefix=NEVER
// RUN: sh -c 'gpuinit-run simulate --regmap=%S/Inputs/regmap.json --sequence=@never %s %s; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=EXIT
// RUN: not gpuinit-run simulate --regmap=%S/Inputs/regmap.json --sequence=@never_ne %s 2>&1 | FileCheck %s --check-prefix=NEVER-NE
// RUN: gpuinit-run simulate --regmap=%S/Inputs/regmap.json --sequence=@maybe %s %s | FileCheck %s --check-prefix=MAYBE

// NEVER: simulate-poll.mlir:[[# @LINE + 5]]:3: error: op #2 initseq.poll can never succeed: plain register mmio[bar0 + 0x001000] : i32 holds 0x4 (unknown bits 0xfffffff0), so (value & 0x3) is never eq 0x1
// EXIT: exit=2
initseq.sequence @never {
  initseq.rmw mmio[bar0 + 0x1000] : i32 and 0xfffffff0 or 0x4
  initseq.delay 1 us
  initseq.poll mmio[bar0 + 0x1000] : i32 mask 0x3 eq 0x1 timeout 1 ms
}

// NEVER-NE: simulate-poll.mlir:[[# @LINE + 3]]:3: error: op #1 initseq.poll can never succeed: plain register cfg[0x040] : i8 holds 0x81, so (value & 0x80) is never ne 0x80
initseq.sequence @never_ne {
  initseq.write cfg[0x40] : i8 = 0x81
  initseq.poll cfg[0x40] : i8 mask 0x80 ne 0x80 timeout 1 ms
}

// Bit 0 differs between the paths of the condition: the poll may succeed.
// MAYBE: @maybe: equivalent: 4 device-visible events
initseq.sequence @maybe {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x0
  initseq.condition strap 0x1 {
    initseq.write mmio[bar0 + 0x1000] : i32 = 0x1
  }
  initseq.poll mmio[bar0 + 0x1000] : i32 mask 0x1 eq 0x1 timeout 1 ms
}
