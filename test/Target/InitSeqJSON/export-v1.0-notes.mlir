// Notes are annotations the device never sees: a 1.0 export leaves them out
// (and numbers the operations without them), 1.1 keeps them.
// RUN: gpuinit-translate --export-initseq-json --initseq-json-generated=2024-05-01T12:00:00Z --initseq-json-sequence=@note %s | FileCheck %s --check-prefix=V10
// RUN: gpuinit-translate --export-initseq-json --initseq-json-version=1.1 --initseq-json-generated=2024-05-01T12:00:00Z --initseq-json-sequence=@note %s | FileCheck %s --check-prefix=V11

// V10:      "schema_version": "1.0"
// V10:      "init_sequence": [
// V10-NEXT:   {"op": "CFG", "addr": 4, "data": 6},
// V10-NEXT:   {"op": "MMIO", "addr": 512, "data": 1},
// V10-NEXT:   {"op": "END"}
// V10-NEXT: ]
// V11:      {"op": "NOTE", "text": "phase 1"},
initseq.sequence @note sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  initseq.note "phase 1"
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1
}

// A block write of 32-bit BAR0 registers is its MMIO operations in order;
// the operation count (and the 1024 limit) counts each.
// RUN: gpuinit-translate --export-initseq-json --initseq-json-generated=2024-05-01T12:00:00Z --initseq-json-sequence=@block %s | FileCheck %s --check-prefix=BLOCK
// BLOCK:      "init_sequence": [
// BLOCK-NEXT:   {"op": "CFG", "addr": 4, "data": 6},
// BLOCK-NEXT:   {"op": "MMIO", "addr": 4096, "data": 1},
// BLOCK-NEXT:   {"op": "MMIO", "addr": 4104, "data": 2},
// BLOCK-NEXT:   {"op": "MMIO", "addr": 4112, "data": 3},
// BLOCK-NEXT:   {"op": "END"}
initseq.sequence @block sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  initseq.block_write mmio[bar0 + 0x1000] : i32 stride 8 = [1, 2, 3]
}
