// A sequence that fits 1.0 exports as 1.0, byte for byte: metadata from the
// options and the sequence, one operation per line, END last. Provenance is
// not part of 1.0 and is left out; a poll timeout is rounded up to whole
// microseconds (waiting longer never fails a poll that succeeds).
// RUN: gpuinit-translate --export-initseq-json --initseq-json-generated=2024-05-01T12:00:00Z %s | FileCheck %s --match-full-lines --strict-whitespace
// RUN: gpuinit-translate --export-initseq-json --initseq-json-version=auto --initseq-json-generated=2024-05-01T12:00:00Z %s | FileCheck %s --match-full-lines --strict-whitespace

//      CHECK:{
// CHECK-NEXT:  "schema_version": "1.0",
// CHECK-NEXT:  "_metadata": {
// CHECK-NEXT:    "SPDX-FileCopyrightText": "2024 The gpuinit authors",
// CHECK-NEXT:    "SPDX-License-Identifier": "CC0-1.0",
// CHECK-NEXT:    "Source-ROM-SHA1": "0123456789abcdef0123456789abcdef01234567",
// CHECK-NEXT:    "Generated": "2024-05-01T12:00:00Z",
// CHECK-NEXT:    "Pipeline-Version": "0.1",
// CHECK-NEXT:    "Card-SKU": "gk107_p2004"
// CHECK-NEXT:  },
// CHECK-NEXT:  "init_sequence": [
// CHECK-NEXT:    {"op": "CFG", "addr": 4, "data": 6},
// CHECK-NEXT:    {"op": "CFG", "addr": 255, "data": 4294967295},
// CHECK-NEXT:    {"op": "MMIO", "addr": 5440, "data": 1},
// CHECK-NEXT:    {"op": "MMIO", "addr": 16777215, "data": 0},
// CHECK-NEXT:    {"op": "DELAY", "ns": 1000},
// CHECK-NEXT:    {"op": "DELAY", "ns": 1000000000},
// CHECK-NEXT:    {"op": "POLL", "addr": 57600, "mask": 2, "value": 2, "timeout_us": 100000},
// CHECK-NEXT:    {"op": "POLL", "addr": 57600, "mask": 4294967295, "value": 0, "timeout_us": 2},
// CHECK-NEXT:    {"op": "POLL", "addr": 57600, "mask": 1, "value": 1, "timeout_us": 1},
// CHECK-NEXT:    {"op": "POLL", "addr": 57600, "mask": 1, "value": 0, "timeout_us": 10000000},
// CHECK-NEXT:    {"op": "END"}
// CHECK-NEXT:  ]
// CHECK-NEXT:}
//  CHECK-NOT:{{.}}
initseq.sequence @gk107.p2004 origin rom pci 0x10de:0x0fc6 sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6 at 0x100 script 1
  initseq.write cfg[0xff] : i32 = 0xffffffff
  initseq.write mmio[bar0 + 0x1540] : i32 = 0x1 ts 1000
  initseq.write mmio[bar0 + 0xffffff] : i32 = 0x0
  initseq.delay 1 us
  initseq.delay 1 s
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 100 ms took 20 us
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0xffffffff eq 0x0 timeout 1001 ns
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x1 eq 0x1 timeout 1 ns
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x1 eq 0x0 timeout 10 s
}
