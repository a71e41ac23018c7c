// --initseq-json-prologue starts a sequence that has no configuration write
// with the PCI command-register enable: a 32-bit CFG write of 0x6 (memory
// space + bus master) to offset 4, or 0x7 (plus I/O space) when the sequence
// uses I/O ports. It is operation #0, so later indexes shift by one.
// RUN: gpuinit-translate --export-initseq-json --initseq-json-prologue --initseq-json-version=auto --initseq-json-generated=2024-05-01T12:00:00Z %s -split-input-file | FileCheck %s
// RUN: gpuinit-translate --export-initseq-json --initseq-json-prologue --initseq-json-version=1.0 --initseq-json-generated=2024-05-01T12:00:00Z %s -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=V10
// RUN: gpuinit-translate --export-initseq-json --initseq-json-version=auto --initseq-json-generated=2024-05-01T12:00:00Z %s -split-input-file | FileCheck %s --check-prefix=NONE

// A trace-like sequence without a configuration write becomes valid 1.0.
// CHECK-LABEL: "schema_version": "1.0"
// CHECK:       "init_sequence": [
// CHECK-NEXT:    {"op": "CFG", "addr": 4, "data": 6},
// CHECK-NEXT:    {"op": "MMIO", "addr": 512, "data": 1},
// CHECK-NEXT:    {"op": "END"}
// V10-LABEL:   "schema_version": "1.0"
// V10:           {"op": "CFG", "addr": 4, "data": 6},
// Without the option it needs 1.1.
// NONE-LABEL:  "schema_version": "1.1"
// NONE:        "init_sequence": [
// NONE-NEXT:     {"op": "MMIO", "addr": 512, "data": 1},
initseq.sequence @memory sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1
}

// -----

// I/O accesses (here a poll of an I/O port) also enable I/O space; the
// sequence still needs 1.1, which carries the prologue too.
// CHECK-LABEL: "schema_version": "1.1"
// CHECK:       "init_sequence": [
// CHECK-NEXT:    {"op": "CFG", "addr": 4, "data": 7},
// CHECK-NEXT:    {"op": "POLL", "space": "io", "addr": 986, "width": 8, "mask": 8, "value": 8, "timeout_us": 1000},
// NONE-LABEL:  "schema_version": "1.1"
// NONE:        "init_sequence": [
// NONE-NEXT:     {"op": "POLL"
initseq.sequence @io sha1 "0123456789abcdef0123456789abcdef01234567" {
  // expected-error @below {{operation #1 ('initseq.poll') cannot be expressed in init-sequence JSON 1.0: poll in io space}}
  initseq.poll io[0x3da] : i8 mask 0x8 eq 0x8 timeout 1 ms
}

// -----

// A ROM condition that reads an I/O port counts as I/O use.
// CHECK-LABEL: "schema_version": "1.1"
// CHECK:       "init_sequence": [
// CHECK-NEXT:    {"op": "CFG", "addr": 4, "data": 7},
// NONE-LABEL:  "schema_version": "1.1"
initseq.sequence @io_condition sha1 "0123456789abcdef0123456789abcdef01234567" {
  // expected-error @below {{operation #1 ('initseq.condition')}}
  initseq.condition io_condition 0x2 {
    initseq.write mmio[bar0 + 0x200] : i32 = 0x1
  }
}

// -----

// A sequence with a configuration write anywhere gets no prologue, even
// when that write is not first (then it is not 1.0).
// CHECK-LABEL: "schema_version": "1.1"
// CHECK:       "init_sequence": [
// CHECK-NEXT:    {"op": "MMIO", "addr": 512, "data": 1},
// CHECK-NEXT:    {"op": "CFG", "addr": 4, "data": 2},
// NONE-LABEL:  "schema_version": "1.1"
initseq.sequence @has_cfg sha1 "0123456789abcdef0123456789abcdef01234567" {
  // expected-error @below {{rule violated at operation #0 (MMIO), field 'op': a 1.0 sequence must start with a CFG operation, but operation #0 is MMIO}}
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1
  initseq.write cfg[0x4] : i32 = 0x2
}

// -----

// A configuration read-modify-write is a configuration write too.
// CHECK-LABEL: "schema_version": "1.1"
// CHECK:       "init_sequence": [
// CHECK-NEXT:    {"op": "RMW", "space": "cfg", "addr": 4, "width": 16, "and_mask": 65535, "or_mask": 6},
// NONE-LABEL:  "schema_version": "1.1"
initseq.sequence @cfg_rmw sha1 "0123456789abcdef0123456789abcdef01234567" {
  // expected-error @below {{operation #0 ('initseq.rmw')}}
  initseq.rmw cfg[0x4] : i16 and 0xffff or 0x6
}

// -----

// An empty sequence is the prologue alone.
// CHECK-LABEL: "schema_version": "1.0"
// CHECK:       "init_sequence": [
// CHECK-NEXT:    {"op": "CFG", "addr": 4, "data": 6},
// CHECK-NEXT:    {"op": "END"}
// V10-LABEL:   "schema_version": "1.0"
// NONE-LABEL:  "schema_version": "1.1"
initseq.sequence @empty sha1 "0123456789abcdef0123456789abcdef01234567" {
}
