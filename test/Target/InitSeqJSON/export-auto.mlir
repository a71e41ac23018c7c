// --initseq-json-version=auto writes 1.0 whenever the sequence fits 1.0 and
// 1.1 otherwise; 1.1 writes 1.1 even when 1.0 would do.
// RUN: gpuinit-translate --export-initseq-json --initseq-json-version=auto --initseq-json-generated=2024-05-01T12:00:00Z %s -split-input-file | FileCheck %s
// RUN: gpuinit-translate --export-initseq-json --initseq-json-version=1.1 --initseq-json-generated=2024-05-01T12:00:00Z %s -split-input-file | FileCheck %s --check-prefix=V11

// CHECK-LABEL: "schema_version": "1.0"
// CHECK:       "init_sequence": [
// CHECK-NEXT:    {"op": "CFG", "addr": 4, "data": 6},
// CHECK-NEXT:    {"op": "MMIO", "addr": 512, "data": 1},
// CHECK-NEXT:    {"op": "END"}
// V11-LABEL:   "schema_version": "1.1"
// V11:         "init_sequence": [
// V11-NEXT:      {"op": "CFG", "addr": 4, "data": 6},
// V11-NEXT:      {"op": "MMIO", "addr": 512, "data": 1, "src_offset": 16},
// V11-NEXT:      {"op": "END"}
initseq.sequence @fits sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1 at 0x10
}

// -----

// A 500 ns delay is not rounded to 1 us to fit 1.0.
// CHECK-LABEL: "schema_version": "1.1"
// CHECK:         {"op": "DELAY", "ns": 500},
// V11-LABEL:   "schema_version": "1.1"
initseq.sequence @short_delay sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  initseq.delay 500 ns
}

// -----

// CHECK-LABEL: "schema_version": "1.1"
// CHECK:         {"op": "READ", "addr": 0},
initseq.sequence @read sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  initseq.read mmio[bar0 + 0x0] : i32
}

// -----

// Expressible operations that break a 1.0 rule: no CFG first.
// CHECK-LABEL: "schema_version": "1.1"
// CHECK:       "init_sequence": [
// CHECK-NEXT:    {"op": "MMIO", "addr": 512, "data": 1},
initseq.sequence @mmio_first sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1
}

// -----

// A write to the vendor/device id.
// CHECK-LABEL: "schema_version": "1.1"
// CHECK:         {"op": "CFG", "addr": 0, "data": 0},
initseq.sequence @cfg_id sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  initseq.write cfg[0x0] : i32 = 0x0
}

// -----

// 30 s of delays plus one more microsecond.
// CHECK-LABEL: "schema_version": "1.1"
initseq.sequence @too_long sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 10 s
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 10 s
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 10 s
  initseq.delay 1 us
}

// -----

// An incomplete trace says so in 1.1.
// CHECK-LABEL: "schema_version": "1.1"
// CHECK:       "incomplete": true,
initseq.sequence @incomplete sha1 "0123456789abcdef0123456789abcdef01234567" incomplete {
  initseq.write cfg[0x4] : i32 = 0x6
}
