// RUN: not gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-reduce{regmap=%S/Inputs/does-not-exist.json}))' 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: echo '[{"space":"mmio","start":1}]' > %t.json
// RUN: not gpuinit-opt %s --pass-pipeline='builtin.module(initseq.sequence(initseq-reduce{regmap=%t.json}))' 2>&1 | FileCheck %s --check-prefix=ENTRY

// MISSING: does-not-exist.json: cannot open register map
// ENTRY: register map entry #0: needs 'end' (exclusive) or 'size'
initseq.sequence @s {
  initseq.write mmio[bar0 + 0x0] : i32 = 0x1
}
