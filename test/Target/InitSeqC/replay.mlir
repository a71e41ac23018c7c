// The C header replays the sequence through the hooks: a C99 compiler builds
// it with -Wall -Wextra -Werror, and the fake device logs every access, in
// order. Polls read until they match (here after 3 reads, and after 2) or
// fail with SEQ_ERR_POLL_TIMEOUT when the clock passes their timeout, which
// stops the replay.
// RUN: gpuinit-translate --export-initseq-c --initseq-c-prefix=seq %s -o %t.h
// RUN: %clang -std=c99 -Wall -Wextra -Werror -pedantic-errors -include %t.h %S/Inputs/replay-main.c -o %t.exe
// RUN: %t.exe | FileCheck %s --match-full-lines

// CHECK:      ops 46
initseq.sequence @replay sha1 "0123456789abcdef0123456789abcdef01234567" {
  // CHECK-NEXT: cfg_write 0x004 w16 = 0x6
  initseq.write cfg[0x4] : i16 = 0x6
  // The read, then the write of (old & and) | or.
  // CHECK-NEXT: cfg_read  0x004 w16 -> 0x6
  // CHECK-NEXT: cfg_write 0x004 w16 = 0x406
  initseq.rmw cfg[0x4] : i16 and 0xffff or 0x400
  // CHECK-NEXT: mmio_write bar0 0x001540 w32 = 0x1
  initseq.write mmio[bar0 + 0x1540] : i32 = 0x1
  // CHECK-NEXT: mmio_read  bar0 0x001540 w32 -> 0x1
  // CHECK-NEXT: mmio_write bar0 0x001540 w32 = 0x101
  initseq.rmw mmio[bar0 + 0x1540] : i32 and 0xff or 0x100
  // CHECK-NEXT: mmio_write bar2 0x000010 w64 = 0xffffffffffffffff
  initseq.write mmio[bar2 + 0x10] : i64 = 0xffffffffffffffff
  // CHECK-NEXT: mmio_read  bar2 0x000010 w64 -> 0xffffffffffffffff
  initseq.read mmio[bar2 + 0x10] : i64 -> 0x1234
  // CHECK-NEXT: mmio_write bar0 0x001000 w32 = 0xa
  // CHECK-NEXT: mmio_write bar0 0x001004 w32 = 0xb
  // CHECK-NEXT: mmio_write bar0 0x001008 w32 = 0xc
  initseq.block_write mmio[bar0 + 0x1000] : i32 stride 4 = [0xa, 0xb, 0xc]
  // CHECK-NEXT: io_write 0x3c2 w8 = 0x67
  initseq.write io[0x3c2] : i8 = 0x67
  // Indexed I/O selects the index, then accesses the data port.
  // CHECK-NEXT: io_write 0x3d4 w8 = 0x11
  // CHECK-NEXT: io_write 0x3d5 w8 = 0x20
  initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x20
  // CHECK-NEXT: io_write 0x3d4 w8 = 0x11
  // CHECK-NEXT: io_read  0x3d5 w8 -> 0x20
  // CHECK-NEXT: io_write 0x3d4 w8 = 0x11
  // CHECK-NEXT: io_write 0x3d5 w8 = 0xa0
  initseq.rmw idxio[0x3d4:0x3d5][0x11] : i8 and 0x7f or 0x80
  // CHECK-NEXT: delay 1500 ns
  initseq.delay 1500 ns
  // CHECK-NEXT: mmio_read  bar0 0x00e100 w32 -> 0x0
  // CHECK-NEXT: mmio_read  bar0 0x00e100 w32 -> 0x0
  // CHECK-NEXT: mmio_read  bar0 0x00e100 w32 -> 0x2
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 1 ms
  // CHECK-NEXT: io_read  0x3da w8 -> 0x0
  // CHECK-NEXT: io_read  0x3da w8 -> 0x8
  initseq.poll io[0x3da] : i8 mask 0x8 ne 0x0 timeout 1 ms
  // CHECK-NEXT: condition 0 3 -> 1
  // CHECK-NEXT: mmio_write bar0 0x002000 w32 = 0xaa
  initseq.condition strap 3 "taken" {
    initseq.write mmio[bar0 + 0x2000] : i32 = 0xaa
  }
  // A failed condition skips its whole body, nested conditions included.
  // CHECK-NEXT: condition 0 3 -> 1
  initseq.condition not strap 3 {
    initseq.write mmio[bar0 + 0x2004] : i32 = 0xbb
    initseq.condition ramcfg 1 {
      initseq.write mmio[bar0 + 0x2008] : i32 = 0xbb
    }
  }
  // CHECK-NEXT: condition 1 1 -> 1
  // CHECK-NEXT: condition 1 2 -> 0
  // CHECK-NEXT: mmio_write bar0 0x00200c w32 = 0xcc
  // CHECK-NEXT: mmio_write bar0 0x002010 w32 = 0xdd
  initseq.condition ramcfg 1 {
    initseq.condition not ramcfg 2 {
      initseq.write mmio[bar0 + 0x200c] : i32 = 0xcc
    }
    initseq.write mmio[bar0 + 0x2010] : i32 = 0xdd
  }
  // With an else body the condition is asked once and exactly one body
  // runs: a condition that holds skips the else body, nested conditions
  // included.
  // CHECK-NEXT: condition 0 3 -> 1
  // CHECK-NEXT: mmio_write bar0 0x002014 w32 = 0x1
  initseq.condition strap 3 {
    initseq.write mmio[bar0 + 0x2014] : i32 = 0x1
  } else {
    initseq.write mmio[bar0 + 0x2014] : i32 = 0x2
    initseq.condition ramcfg 1 {
      initseq.write mmio[bar0 + 0x2018] : i32 = 0xee
    }
  }
  // A failed condition runs its else body; so does a negated one that holds.
  // CHECK-NEXT: condition 0 4 -> 0
  // CHECK-NEXT: mmio_write bar0 0x00201c w32 = 0x4
  // CHECK-NEXT: condition 1 1 -> 1
  // CHECK-NEXT: condition 1 2 -> 0
  // CHECK-NEXT: mmio_write bar0 0x002020 w32 = 0x6
  // CHECK-NEXT: mmio_write bar0 0x002024 w32 = 0x7
  initseq.condition strap 4 {
    initseq.write mmio[bar0 + 0x201c] : i32 = 0x3
  } else {
    initseq.write mmio[bar0 + 0x201c] : i32 = 0x4
    initseq.condition not ramcfg 1 {
      initseq.write mmio[bar0 + 0x2020] : i32 = 0x5
    } else {
      initseq.condition ramcfg 2 {
        initseq.write mmio[bar0 + 0x2020] : i32 = 0xbad
      } else {
        initseq.write mmio[bar0 + 0x2020] : i32 = 0x6
      }
    }
    initseq.write mmio[bar0 + 0x2024] : i32 = 0x7
  }
  // An empty body that runs goes straight past the else body.
  // CHECK-NEXT: condition 0 3 -> 1
  initseq.condition strap 3 {
  } else {
    initseq.write mmio[bar0 + 0x2028] : i32 = 0xbad
  }
  initseq.note "notes have no device effect */ ??/"
  // A 5 us timeout on a clock that advances 1 us per call: five reads, then
  // the replay stops with SEQ_ERR_POLL_TIMEOUT (1) at table entry 44.
  // CHECK-COUNT-5: mmio_read  bar0 0x00e104 w32 -> 0x0
  // CHECK-NEXT: replay -> 1 at entry 44
  initseq.poll mmio[bar0 + 0xe104] : i32 mask 0x1 eq 0x1 timeout 5 us
  initseq.write mmio[bar0 + 0x3000] : i32 = 0xdead
}
// CHECK-NEXT: replay without cfg_write -> 2
// CHECK-NOT: {{.}}
