// With one file, `gpuinit-run simulate` prints each sequence's device-visible
// events and the plain storage the device sees at each.

// RUN: gpuinit-run simulate --regmap=%S/Inputs/regmap.json %s | FileCheck %s

// CHECK-LABEL: @events:
// CHECK-NEXT:   #0 write mmio[bar0 + 0x000200] : i32 = 0x1 (op #1 initseq.write at {{.*}}simulate-events.mlir:[[# @LINE + 18]]:3)
// CHECK-NEXT:       sees mmio[bar0 + 0x001000] : i32 = 0x5 (set by op #0 initseq.write at {{.*}}simulate-events.mlir:[[# @LINE + 16]]:3)
// CHECK-NEXT:   #1 read mmio[bar0 + 0x003004] : i32 (trace observed 0x7) (op #3 initseq.read at {{.*}}simulate-events.mlir:[[# @LINE + 18]]:3)
// CHECK-NEXT:       sees mmio[bar0 + 0x001004] : i16 = 0x2 (set by op #2 initseq.write at {{.*}}simulate-events.mlir:[[# @LINE + 16]]:3)
// CHECK-NEXT:   #2 delay 3 ms (op #4 initseq.delay at {{.*}}simulate-events.mlir:[[# @LINE + 17]]:3, merged with 1 more delay)
// CHECK-NEXT:   #3 enter condition strap 0x3 (op #6 initseq.condition at {{.*}}simulate-events.mlir:[[# @LINE + 18]]:3)
// CHECK-NEXT:   #4 read mmio[bar0 + 0x002004] : i32 (op #7 initseq.rmw at {{.*}}simulate-events.mlir:[[# @LINE + 18]]:5)
// CHECK-NEXT:   #5 write mmio[bar0 + 0x002004] : i32 = 0x11 with bits 0xffffff00 as read (op #7 initseq.rmw at {{.*}}simulate-events.mlir:[[# @LINE + 17]]:5)
// CHECK-NEXT:   #6 leave condition strap 0x3 (end of op #6 initseq.condition at {{.*}}simulate-events.mlir:[[# @LINE + 15]]:3)
// CHECK-NEXT:       sees mmio[bar0 + 0x001000] : i32 = 0x6 (set by op #8 initseq.write at {{.*}}simulate-events.mlir:[[# @LINE + 16]]:5)
// CHECK-NEXT:   #7 write mmio[bar0 + 0x000400] : i32 = 0x1 (op #10 initseq.block_write element #0 at {{.*}}simulate-events.mlir:[[# @LINE + 18]]:3)
// CHECK-NEXT:   #8 write mmio[bar0 + 0x000404] : i32 = 0x2 (op #10 initseq.block_write element #1 at {{.*}}simulate-events.mlir:[[# @LINE + 17]]:3)
// CHECK-NEXT:   #9 poll mmio[bar0 + 0x00e100] : i32 mask 0x2 eq 0x2 timeout 100 ms (op #11 initseq.poll at {{.*}}simulate-events.mlir:[[# @LINE + 17]]:3)
// CHECK-NEXT:   #10 end of sequence (end of @events at {{.*}}simulate-events.mlir:[[# @LINE + 3]]:1)
// CHECK-NEXT:       sees mmio[bar0 + 0x001000] : i32 = 0x7 (set by op #12 initseq.rmw at {{.*}}simulate-events.mlir:[[# @LINE + 16]]:3)
// CHECK-NEXT: @events: 11 device-visible events
initseq.sequence @events {
  initseq.write mmio[bar0 + 0x1000] : i32 = 0x5
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1
  initseq.write mmio[bar0 + 0x1004] : i16 = 0x2
  initseq.read mmio[bar0 + 0x3004] : i32 -> 0x7
  initseq.delay 1 ms
  initseq.delay 2 ms
  initseq.condition strap 0x3 {
    initseq.rmw mmio[bar0 + 0x2004] : i32 and 0xffffff00 or 0x11
    initseq.write mmio[bar0 + 0x1000] : i32 = 0x6
    initseq.note "inside"
  }
  initseq.block_write mmio[bar0 + 0x400] : i32 stride 0x4 = [0x1, 0x2]
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 100 ms
  initseq.rmw mmio[bar0 + 0x1000] : i32 and 0xfffffffc or 0x3
}

// CHECK-LABEL: @plain_only:
// CHECK-NEXT:   #0 end of sequence (end of @plain_only at {{.*}})
// CHECK-NEXT:       sees cfg[0x040] : i32 = 0x12345678 (set by op #0 initseq.write at {{.*}})
// CHECK-NEXT:       sees cfg[0x044] : i8 = 0x9 (set by op #1 initseq.write at {{.*}})
// CHECK-NEXT:       sees idxio[0x3d4:0x3d5][0x11] : i8 = 0xab (set by op #2 initseq.write at {{.*}})
// CHECK-NEXT: @plain_only: 1 device-visible events
initseq.sequence @plain_only {
  initseq.write cfg[0x40] : i32 = 0x12345678
  initseq.write cfg[0x44] : i8 = 0x9
  initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0xab
}
