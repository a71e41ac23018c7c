// Replays lowered sequences on the CPU against the fake device of
// Inputs/fake_device.c, which logs every access (MMIO included) in order.
// REQUIRES: x86_64-linux
// RUN: gpuinit-opt %s --convert-initseq-to-llvm='block-unroll-limit=4' | gpuinit-translate --mlir-to-llvmir -o %t.ll
// RUN: %clang -O0 -Wno-override-module %t.ll %S/Inputs/fake_device.c -DREPLAY=bringup -o %t.bringup.O0
// RUN: %t.bringup.O0 | FileCheck %s --check-prefix=BRINGUP
// RUN: %clang -O2 -Wno-override-module %t.ll %S/Inputs/fake_device.c -DREPLAY=bringup -o %t.bringup.O2
// RUN: %t.bringup.O2 | FileCheck %s --check-prefix=BRINGUP
// RUN: %clang -O0 -Wno-override-module %t.ll %S/Inputs/fake_device.c -DREPLAY=stuck -o %t.stuck.O0
// RUN: %t.stuck.O0 | FileCheck %s --check-prefix=STUCK
// RUN: %clang -O2 -Wno-override-module %t.ll %S/Inputs/fake_device.c -DREPLAY=stuck -o %t.stuck.O2
// RUN: %t.stuck.O2 | FileCheck %s --check-prefix=STUCK
// RUN: %clang -O0 -Wno-override-module %t.ll %S/Inputs/fake_device.c -DREPLAY=branches -o %t.branches.O0
// RUN: %t.branches.O0 | FileCheck %s --check-prefix=BRANCHES
// RUN: %clang -O2 -Wno-override-module %t.ll %S/Inputs/fake_device.c -DREPLAY=branches -o %t.branches.O2
// RUN: %t.branches.O2 | FileCheck %s --check-prefix=BRANCHES

initseq.sequence @bringup {
  initseq.read mmio[bar0 + 0x000000] : i32 -> 0xe63a0a1
  initseq.read cfg[0x000] : i32
  initseq.write cfg[0x004] : i16 = 0x7
  initseq.write mmio[bar0 + 0x000200] : i32 = 0xffffffff
  initseq.write mmio[bar0 + 0x001540] : i8 = 0x12
  initseq.write mmio[bar2 + 0x000003] : i16 = 0xbeef
  initseq.write mmio[bar0 + 0x000208] : i64 = 0x123456789abcdef
  initseq.rmw mmio[bar0 + 0x000200] : i32 and 0xffff00ff or 0x1100
  initseq.rmw mmio[bar0 + 0x001540] : i8 and 0xff or 0x1
  initseq.read mmio[bar0 + 0x00e300] : i32
  initseq.read mmio[bar0 + 0x00e300] : i32
  initseq.write io[0x3c2] : i8 = 0x67
  initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x20
  initseq.rmw idxio[0x3d4:0x3d5][0x11] : i8 and 0x7f or 0x1
  initseq.read idxio[0x3d4:0x3d5][0x11] : i8
  initseq.block_write mmio[bar0 + 0x001000] : i32 stride 0x4 = [0x11111111, 0x22222222, 0x33333333]
  initseq.block_write mmio[bar0 + 0x002000] : i16 stride 0x6 = [0x101, 0x202, 0x303, 0x404, 0x505]
  initseq.block_write io[0x3c0] : i8 stride 0x0 = [0x10, 0x1, 0x11, 0x0, 0x12]
  initseq.write mmio[bar0 + 0x00e104] : i32 = 0x1
  initseq.poll mmio[bar0 + 0x00e100] : i32 mask 0x2 eq 0x2 timeout 100 us
  initseq.condition strap 0x3 "strap 3" {
    initseq.write mmio[bar0 + 0x100200] : i32 = 0xa
    initseq.condition not ramcfg 0x2 {
      initseq.write mmio[bar0 + 0x100204] : i32 = 0xbad
    }
    initseq.condition ramcfg 0x2 {
      initseq.write mmio[bar0 + 0x100208] : i32 = 0xc
    }
  }
  initseq.condition not strap 0x3 {
    initseq.poll mmio[bar0 + 0x00e200] : i32 mask 0x1 eq 0x1 timeout 1 us
  }
  initseq.delay 0 ns
  initseq.note "nothing to see"
  initseq.delay 5 us
  initseq.poll cfg[0x004] : i16 mask 0x7 eq 0x7 timeout 1 us
  initseq.poll io[0x3c2] : i8 mask 0x1 ne 0x0 timeout 1 us
}

// BRINGUP:      mmio.r32 bar0+0x000000 -> 0x0e63a0a1
// BRINGUP-NEXT: cfg.r32 0x000 -> 0x0fc610de
// BRINGUP-NEXT: cfg.w16 0x004 <- 0x0007
// BRINGUP-NEXT: mmio.w32 bar0+0x000200 <- 0xffffffff
// BRINGUP-NEXT: mmio.w8 bar0+0x001540 <- 0x12
// BRINGUP-NEXT: mmio.w16 bar2+0x000003 <- 0xbeef
// BRINGUP-NEXT: mmio.w64 bar0+0x000208 <- 0x0123456789abcdef
// BRINGUP-NEXT: mmio.r32 bar0+0x000200 -> 0xffffffff
// BRINGUP-NEXT: mmio.w32 bar0+0x000200 <- 0xffff11ff
// BRINGUP-NEXT: mmio.r8 bar0+0x001540 -> 0x12
// BRINGUP-NEXT: mmio.w8 bar0+0x001540 <- 0x13
// BRINGUP-NEXT: mmio.r32 bar0+0x00e300 -> 0x00000005
// BRINGUP-NEXT: mmio.r32 bar0+0x00e300 -> 0x00000000
// BRINGUP-NEXT: io.w8 0x03c2 <- 0x67
// BRINGUP-NEXT: io.w8 0x03d4 <- 0x11
// BRINGUP-NEXT: io.w8 0x03d5 <- 0x20
// BRINGUP-NEXT: io.w8 0x03d4 <- 0x11
// BRINGUP-NEXT: io.r8 0x03d5 -> 0x20
// BRINGUP-NEXT: io.w8 0x03d4 <- 0x11
// BRINGUP-NEXT: io.w8 0x03d5 <- 0x21
// BRINGUP-NEXT: io.w8 0x03d4 <- 0x11
// BRINGUP-NEXT: io.r8 0x03d5 -> 0x21
// BRINGUP-NEXT: mmio.w32 bar0+0x001000 <- 0x11111111
// BRINGUP-NEXT: mmio.w32 bar0+0x001004 <- 0x22222222
// BRINGUP-NEXT: mmio.w32 bar0+0x001008 <- 0x33333333
// BRINGUP-NEXT: mmio.w16 bar0+0x002000 <- 0x0101
// BRINGUP-NEXT: mmio.w16 bar0+0x002006 <- 0x0202
// BRINGUP-NEXT: mmio.w16 bar0+0x00200c <- 0x0303
// BRINGUP-NEXT: mmio.w16 bar0+0x002012 <- 0x0404
// BRINGUP-NEXT: mmio.w16 bar0+0x002018 <- 0x0505
// BRINGUP-NEXT: io.w8 0x03c0 <- 0x10
// BRINGUP-NEXT: io.w8 0x03c0 <- 0x01
// BRINGUP-NEXT: io.w8 0x03c0 <- 0x11
// BRINGUP-NEXT: io.w8 0x03c0 <- 0x00
// BRINGUP-NEXT: io.w8 0x03c0 <- 0x12
// BRINGUP-NEXT: mmio.w32 bar0+0x00e104 <- 0x00000001
// BRINGUP-NEXT: time -> 0
// BRINGUP-NEXT: mmio.r32 bar0+0x00e100 -> 0x00000000
// BRINGUP-NEXT: time -> 1000
// BRINGUP-NEXT: mmio.r32 bar0+0x00e100 -> 0x00000000
// BRINGUP-NEXT: time -> 2000
// BRINGUP-NEXT: mmio.r32 bar0+0x00e100 -> 0x00000002
// BRINGUP-NEXT: cond strap 0x3 -> 1
// BRINGUP-NEXT: mmio.w32 bar0+0x100200 <- 0x0000000a
// BRINGUP-NEXT: cond ramcfg 0x2 -> 1
// BRINGUP-NEXT: cond ramcfg 0x2 -> 1
// BRINGUP-NEXT: mmio.w32 bar0+0x100208 <- 0x0000000c
// BRINGUP-NEXT: cond strap 0x3 -> 1
// BRINGUP-NEXT: delay 5000
// BRINGUP-NEXT: time -> 8000
// BRINGUP-NEXT: cfg.r16 0x004 -> 0x0007
// BRINGUP-NEXT: time -> 9000
// BRINGUP-NEXT: io.r8 0x03c2 -> 0x67
// BRINGUP-NEXT: return 0
// BRINGUP-NEXT: final bar0+0x000000 = 0x0e63a0a1
// BRINGUP-NEXT: final bar0+0x000200 = 0xffff11ff
// BRINGUP-NEXT: final bar0+0x000208 = 0x89abcdef
// BRINGUP-NEXT: final bar0+0x00020c = 0x01234567
// BRINGUP-NEXT: final bar0+0x001000 = 0x11111111
// BRINGUP-NEXT: final bar0+0x001004 = 0x22222222
// BRINGUP-NEXT: final bar0+0x001008 = 0x33333333
// BRINGUP-NEXT: final bar0+0x001540 = 0x00000013
// BRINGUP-NEXT: final bar0+0x002000 = 0x00000101
// BRINGUP-NEXT: final bar0+0x002004 = 0x02020000
// BRINGUP-NEXT: final bar0+0x00200c = 0x00000303
// BRINGUP-NEXT: final bar0+0x002010 = 0x04040000
// BRINGUP-NEXT: final bar0+0x002018 = 0x00000505
// BRINGUP-NEXT: final bar0+0x00e100 = 0x00000002
// BRINGUP-NEXT: final bar0+0x00e104 = 0x00000001
// BRINGUP-NEXT: final bar0+0x100200 = 0x0000000a
// BRINGUP-NEXT: final bar0+0x100208 = 0x0000000c
// BRINGUP-NEXT: final bar2+0x000000 = 0xef000000
// BRINGUP-NEXT: final bar2+0x000004 = 0x000000be
// BRINGUP-NEXT: final cfg+0x000000 = 0x0fc610de
// BRINGUP-NEXT: final cfg+0x000004 = 0x00000007
// BRINGUP-NEXT: final crtc[0x11] = 0x21
// BRINGUP-NOT:  final

// The second poll never succeeds: after 3 us of clock reads the function
// returns 2 (the 1-based index of the poll) and the write after it never
// happens.
initseq.sequence @stuck {
  initseq.poll cfg[0x000] : i16 mask 0xffff eq 0x10de timeout 1 us
  initseq.poll mmio[bar0 + 0x00e200] : i32 mask 0x1 eq 0x1 timeout 3 us
  initseq.write mmio[bar0 + 0x000200] : i32 = 0x1
}

// STUCK:      time -> 0
// STUCK-NEXT: cfg.r16 0x000 -> 0x10de
// STUCK-NEXT: time -> 1000
// STUCK-NEXT: mmio.r32 bar0+0x00e200 -> 0x00000000
// STUCK-NEXT: time -> 2000
// STUCK-NEXT: mmio.r32 bar0+0x00e200 -> 0x00000000
// STUCK-NEXT: time -> 3000
// STUCK-NEXT: mmio.r32 bar0+0x00e200 -> 0x00000000
// STUCK-NEXT: time -> 4000
// STUCK-NEXT: return 2
// STUCK-NEXT: final bar0+0x000000 = 0x0e63a0a1
// STUCK-NEXT: final cfg+0x000000 = 0x0fc610de
// STUCK-NOT:  final

// Conditions with an else body, for both outcomes of the test (the fake
// device holds strap 3 and ramcfg 2, nothing else): each op asks the device
// once, then exactly one of its bodies runs.
initseq.sequence @branches {
  initseq.condition strap 0x3 {
    initseq.write mmio[bar0 + 0x000300] : i32 = 0x1
  } else {
    initseq.write mmio[bar0 + 0x000300] : i32 = 0x2
  }
  initseq.condition strap 0x1 {
    initseq.write mmio[bar0 + 0x000304] : i32 = 0x3
  } else {
    initseq.write mmio[bar0 + 0x000304] : i32 = 0x4
    initseq.condition not ramcfg 0x2 {
      initseq.write mmio[bar0 + 0x000308] : i32 = 0x5
    } else {
      initseq.write mmio[bar0 + 0x000308] : i32 = 0x6
    }
  }
  initseq.condition not strap 0x1 {
    initseq.write mmio[bar0 + 0x00030c] : i32 = 0x7
  } else {
    initseq.write mmio[bar0 + 0x00030c] : i32 = 0x8
  }
  initseq.write mmio[bar0 + 0x000310] : i32 = 0x9
}

// BRANCHES:      cond strap 0x3 -> 1
// BRANCHES-NEXT: mmio.w32 bar0+0x000300 <- 0x00000001
// BRANCHES-NEXT: cond strap 0x1 -> 0
// BRANCHES-NEXT: mmio.w32 bar0+0x000304 <- 0x00000004
// BRANCHES-NEXT: cond ramcfg 0x2 -> 1
// BRANCHES-NEXT: mmio.w32 bar0+0x000308 <- 0x00000006
// BRANCHES-NEXT: cond strap 0x1 -> 0
// BRANCHES-NEXT: mmio.w32 bar0+0x00030c <- 0x00000007
// BRANCHES-NEXT: mmio.w32 bar0+0x000310 <- 0x00000009
// BRANCHES-NEXT: return 0
// BRANCHES-NEXT: final bar0+0x000000 = 0x0e63a0a1
// BRANCHES-NEXT: final bar0+0x000300 = 0x00000001
// BRANCHES-NEXT: final bar0+0x000304 = 0x00000004
// BRANCHES-NEXT: final bar0+0x000308 = 0x00000006
// BRANCHES-NEXT: final bar0+0x00030c = 0x00000007
// BRANCHES-NEXT: final bar0+0x000310 = 0x00000009
// BRANCHES-NEXT: final cfg+0x000000 = 0x0fc610de
// BRANCHES-NOT:  final
