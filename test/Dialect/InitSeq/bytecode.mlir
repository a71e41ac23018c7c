// Bytecode round trip: every op and attribute survives, including the
// dialect's compact encodings of locations and enums.
// RUN: gpuinit-opt %S/roundtrip.mlir --emit-bytecode | gpuinit-opt | FileCheck %S/roundtrip.mlir
// RUN: gpuinit-opt %s --emit-bytecode -o %t.mlirbc
// RUN: gpuinit-opt %t.mlirbc | FileCheck %s

// CHECK-LABEL: initseq.sequence @enc origin rom pci 0x1002:0x67df
// CHECK-NEXT:    initseq.write idxio[0x3c4:0x3c5][0xff] : i8 = 0xff
// CHECK-NEXT:    initseq.poll cfg[0x0fc] : i32 mask 0x80000000 ne 0x0 timeout 5 s
// CHECK-NEXT:    initseq.condition not io_flag_condition 0x7 {
// CHECK-NEXT:      initseq.write mmio[bar5 + 0xffffffffff] : i8 = 0x1
// CHECK-NEXT:    }
// The else region survives, and so does its absence.
// CHECK-NEXT:    initseq.condition ramcfg 0x2 {
// CHECK-NEXT:    } else {
// CHECK-NEXT:      initseq.write mmio[bar5 + 0xffffffffff] : i8 = 0x2
// CHECK-NEXT:    }
// CHECK-NEXT:    initseq.condition strap 0x1 {
// CHECK-NEXT:    } else {
// CHECK-NEXT:    }
// CHECK-NEXT:  }
initseq.sequence @enc origin rom pci 0x1002:0x67df {
  initseq.write idxio[0x3c4:0x3c5][0xff] : i8 = 0xff
  initseq.poll cfg[0xfc] : i32 mask 0x80000000 ne 0x0 timeout 5 s
  initseq.condition not io_flag_condition 7 {
    initseq.write mmio[bar5 + 0xffffffffff] : i8 = 0x1
  }
  initseq.condition ramcfg 2 {
  } else {
    initseq.write mmio[bar5 + 0xffffffffff] : i8 = 0x2
  }
  initseq.condition strap 1 {
  } else {
  }
}
