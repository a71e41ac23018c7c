// 1.1 round trip: IR -> JSON -> IR -> JSON gives byte-identical JSON and the
// same IR (every attribute of every op is carried by 1.1).
// RUN: gpuinit-translate --export-initseq-json --initseq-json-version=1.1 --initseq-json-generated=2024-05-01T12:00:00Z %s -o %t.json
// RUN: gpuinit-translate --import-initseq-json %t.json -o %t.mlir
// RUN: gpuinit-translate --export-initseq-json --initseq-json-version=1.1 --initseq-json-generated=2024-05-01T12:00:00Z %t.mlir -o %t.2.json
// RUN: diff %t.json %t.2.json
// RUN: gpuinit-opt %s -o %t.orig.mlir
// RUN: gpuinit-opt %t.mlir -o %t.back.mlir
// RUN: diff %t.orig.mlir %t.back.mlir
// RUN: FileCheck %s --input-file=%t.json --match-full-lines --strict-whitespace

//      CHECK:{
// CHECK-NEXT:  "schema_version": "1.1",
// CHECK-NEXT:  "_metadata": {
// CHECK-NEXT:    "SPDX-FileCopyrightText": "2024 Example Firmware Project",
// CHECK-NEXT:    "SPDX-License-Identifier": "CC0-1.0",
// CHECK-NEXT:    "Source-ROM-SHA1": "0123456789abcdef0123456789abcdef01234567",
// CHECK-NEXT:    "Source-ROM-URL": "https://example.org/gk107.rom",
// CHECK-NEXT:    "Generated": "2024-05-01T12:00:00Z",
// CHECK-NEXT:    "Pipeline-Version": "0.1",
// CHECK-NEXT:    "Card-SKU": "P2004"
// CHECK-NEXT:  },
// CHECK-NEXT:  "name": "gk107.boot",
// CHECK-NEXT:  "pci": {"vendor": 4318, "device": 4038},
// CHECK-NEXT:  "origin": "trace",
// CHECK-NEXT:  "incomplete": true,
// CHECK-NEXT:  "init_sequence": [
// CHECK-NEXT:    {"op": "CFG", "addr": 4, "width": 16, "data": 7, "src_offset": 450, "script": 3, "ts_ns": 5},
// CHECK-NEXT:    {"op": "CFG", "addr": 4092, "data": 3735928559},
// CHECK-NEXT:    {"op": "CFG", "addr": 0, "width": 8, "data": 255},
// CHECK-NEXT:    {"op": "MMIO", "addr": 5440, "data": 1},
// CHECK-NEXT:    {"op": "MMIO", "bar": 5, "addr": 8, "width": 64, "data": 18446744073709551615},
// CHECK-NEXT:    {"op": "MMIO", "bar": 1, "addr": 1099511627774, "width": 16, "data": 65535},
// CHECK-NEXT:    {"op": "IO", "addr": 962, "width": 8, "data": 1},
// CHECK-NEXT:    {"op": "IO", "addr": 3320, "data": 2147483648},
// CHECK-NEXT:    {"op": "IDXIO", "addr": 980, "data_port": 981, "index": 17, "data": 32},
// CHECK-NEXT:    {"op": "RMW", "addr": 49216, "and_mask": 4294967040, "or_mask": 17},
// CHECK-NEXT:    {"op": "RMW", "space": "idxio", "addr": 964, "data_port": 965, "index": 1, "and_mask": 223, "or_mask": 32},
// CHECK-NEXT:    {"op": "RMW", "space": "cfg", "addr": 4, "width": 16, "and_mask": 65535, "or_mask": 6},
// CHECK-NEXT:    {"op": "READ", "addr": 0, "observed": 241410209, "ts_ns": 12000530000},
// CHECK-NEXT:    {"op": "READ", "space": "io", "addr": 986, "width": 8},
// CHECK-NEXT:    {"op": "POLL", "addr": 57600, "mask": 2, "value": 2, "timeout_us": 100000, "took_ns": 20000},
// CHECK-NEXT:    {"op": "POLL", "addr": 57600, "mask": 2, "value": 2, "timeout_ns": 1500},
// CHECK-NEXT:    {"op": "POLL", "space": "idxio", "addr": 964, "data_port": 965, "index": 1, "mask": 128, "value": 0, "compare": "ne", "timeout_us": 1000000},
// CHECK-NEXT:    {"op": "POLL", "bar": 1, "addr": 16, "width": 64, "mask": 18446744073709551615, "value": 0, "compare": "ne", "timeout_us": 1},
// CHECK-NEXT:    {"op": "BLOCK", "base": 4096, "stride": 4, "values": [1, 2, 3]},
// CHECK-NEXT:    {"op": "BLOCK", "space": "io", "base": 960, "width": 8, "stride": 0, "values": [16, 32], "script": 2},
// CHECK-NEXT:    {"op": "DELAY", "ns": 0},
// CHECK-NEXT:    {"op": "DELAY", "ns": 1500},
// CHECK-NEXT:    {"op": "DELAY", "ns": 2000000000, "ts_ns": 7},
// CHECK-NEXT:    {"op": "COND", "kind": "strap", "index": 3, "negated": true, "label": "strap bits 3:2 == 1", "src_offset": 64, "ops": [
// CHECK-NEXT:      {"op": "COND", "kind": "ramcfg", "index": 2, "ops": [
// CHECK-NEXT:        {"op": "MMIO", "addr": 1049088, "data": 1}
// CHECK-NEXT:      ]},
// CHECK-NEXT:      {"op": "COND", "kind": "io_flag_condition", "index": 0, "ops": []},
// CHECK-NEXT:      {"op": "DELAY", "ns": 10000}
// CHECK-NEXT:    ]},
// CHECK-NEXT:    {"op": "COND", "kind": "condition", "index": 9223372036854775807, "ops": []},
// CHECK-NEXT:    {"op": "COND", "kind": "condition", "index": 5, "label": "flag", "ts_ns": 9, "ops": [
// CHECK-NEXT:      {"op": "MMIO", "addr": 1049092, "data": 1}
// CHECK-NEXT:    ], "else": [
// CHECK-NEXT:      {"op": "MMIO", "addr": 1049092, "data": 2},
// CHECK-NEXT:      {"op": "COND", "kind": "strap", "index": 1, "negated": true, "ops": [], "else": [
// CHECK-NEXT:        {"op": "DELAY", "ns": 1000}
// CHECK-NEXT:      ]},
// CHECK-NEXT:      {"op": "COND", "kind": "ramcfg", "index": 0, "ops": [], "else": []}
// CHECK-NEXT:    ]},
// CHECK-NEXT:    {"op": "OPAQUE", "kind": "INIT_PLL", "operands": [16400, 25000, 18446744073709551615], "bytes": "79104000A8610000", "src_offset": 753, "script": 1},
// CHECK-NEXT:    {"op": "OPAQUE", "kind": "I2C", "operands": []},
// CHECK-NEXT:    {"op": "NOTE", "text": "loading \"driver\"\n\t\\ \u0001 ✓ é", "ts_ns": 12000100000},
// CHECK-NEXT:    {"op": "NOTE", "text": ""},
// CHECK-NEXT:    {"op": "END"}
// CHECK-NEXT:  ]
// CHECK-NEXT:}
initseq.sequence @gk107.boot origin trace pci 0x10de:0x0fc6 sha1 "0123456789abcdef0123456789abcdef01234567" incomplete attributes {initseq.card_sku = "P2004", initseq.source_rom_url = "https://example.org/gk107.rom", initseq.spdx_copyright = "2024 Example Firmware Project"} {
  initseq.write cfg[0x4] : i16 = 0x7 at 0x1c2 script 3 ts 5
  initseq.write cfg[0xffc] : i32 = 0xdeadbeef
  initseq.write cfg[0x0] : i8 = 0xff
  initseq.write mmio[bar0 + 0x1540] : i32 = 0x1
  initseq.write mmio[bar5 + 0x8] : i64 = 0xffffffffffffffff
  initseq.write mmio[bar1 + 0xfffffffffe] : i16 = 0xffff
  initseq.write io[0x3c2] : i8 = 0x1
  initseq.write io[0xcf8] : i32 = 0x80000000
  initseq.write idxio[0x3d4:0x3d5][0x11] : i8 = 0x20
  initseq.rmw mmio[bar0 + 0xc040] : i32 and 0xffffff00 or 0x11
  initseq.rmw idxio[0x3c4:0x3c5][0x1] : i8 and 0xdf or 0x20
  initseq.rmw cfg[0x4] : i16 and 0xffff or 0x6
  initseq.read mmio[bar0 + 0x0] : i32 -> 0xe63a0a1 ts 12000530000
  initseq.read io[0x3da] : i8
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 100 ms took 20 us
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 1500 ns
  initseq.poll idxio[0x3c4:0x3c5][0x1] : i8 mask 0x80 ne 0x0 timeout 1 s
  initseq.poll mmio[bar1 + 0x10] : i64 mask 0xffffffffffffffff ne 0x0 timeout 1 us
  initseq.block_write mmio[bar0 + 0x1000] : i32 stride 4 = [1, 2, 3]
  initseq.block_write io[0x3c0] : i8 stride 0 = [0x10, 0x20] script 2
  initseq.delay 0 ns
  initseq.delay 1500 ns
  initseq.delay 2 s ts 7
  initseq.condition not strap 3 "strap bits 3:2 == 1" at 0x40 {
    initseq.condition ramcfg 2 {
      initseq.write mmio[bar0 + 0x100200] : i32 = 0x1
    }
    initseq.condition io_flag_condition 0 {
    }
    initseq.delay 10 us
  }
  initseq.condition condition 0x7fffffffffffffff {
  }
  initseq.condition condition 5 "flag" ts 9 {
    initseq.write mmio[bar0 + 0x100204] : i32 = 0x1
  } else {
    initseq.write mmio[bar0 + 0x100204] : i32 = 0x2
    initseq.condition not strap 1 {
    } else {
      initseq.delay 1 us
    }
    initseq.condition ramcfg 0 {
    } else {
    }
  }
  initseq.opaque "INIT_PLL"(0x4010, 0x61a8, 0xffffffffffffffff) bytes "79104000A8610000" at 0x2f1 script 1
  initseq.opaque "I2C"()
  initseq.note "loading \22driver\22\0A\09\5C \01 \E2\9C\93 \C3\A9" ts 12000100000
  initseq.note ""
}
