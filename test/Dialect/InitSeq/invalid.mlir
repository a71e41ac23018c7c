// RUN: gpuinit-opt %s -split-input-file -verify-diagnostics

initseq.sequence @bad_mask {
  // expected-error @below {{mask 0x1ff does not fit the 8-bit access}}
  initseq.poll io[0x3da] : i8 mask 0x1ff eq 0x8 timeout 1 ms
}

// -----

initseq.sequence @expected_outside_mask {
  // expected-error @below {{expected value 0x3 has bits outside mask 0x2}}
  initseq.poll mmio[bar0 + 0x100] : i32 mask 0x2 eq 0x3 timeout 1 ms
}

// -----

initseq.sequence @zero_mask {
  // expected-error @below {{mask is zero}}
  initseq.poll mmio[bar0 + 0x100] : i32 mask 0x0 eq 0x0 timeout 1 ms
}

// -----

initseq.sequence @zero_timeout {
  // expected-error @below {{timeout must be positive}}
  initseq.poll mmio[bar0 + 0x100] : i32 mask 0x1 eq 0x1 timeout 0 ms
}

// -----

initseq.sequence @value_too_wide {
  // expected-error @below {{value 0x100 does not fit the 8-bit access}}
  initseq.write io[0x80] : i8 = 0x100
}

// -----

initseq.sequence @rmw_masks {
  // expected-error @below {{or mask 0x10000 does not fit the 16-bit access}}
  initseq.rmw cfg[0x4] : i16 and 0xffff or 0x10000
}

// -----

initseq.sequence @observed_too_wide {
  // expected-error @below {{observed value 0x1ffff does not fit the 16-bit access}}
  initseq.read mmio[bar0 + 0x10] : i16 -> 0x1ffff
}

// -----

initseq.sequence @cfg_width {
  // expected-error @below {{a 64-bit access is not allowed in cfg space}}
  initseq.write cfg[0x10] : i64 = 0x1
}

// -----

initseq.sequence @idxio_width {
  // expected-error @below {{a 16-bit access is not allowed in idxio space}}
  initseq.write idxio[0x3d4:0x3d5][0x11] : i16 = 0x1
}

// -----

initseq.sequence @odd_width {
  // expected-error @below {{a 24-bit access is not allowed in mmio space}}
  initseq.write mmio[bar0 + 0x10] : i24 = 0x1
}

// -----

initseq.sequence @cfg_range {
  // expected-error @below {{offset 0x1000 out of range for cfg space (limit 0x1000)}}
  initseq.write cfg[0x1000] : i8 = 0x1
}

// -----

initseq.sequence @cfg_end {
  // expected-error @below {{access of 4 bytes at 0xffe runs past the end of cfg space}}
  initseq.write cfg[0xffe] : i32 = 0x1
}

// -----

initseq.sequence @io_range {
  // expected-error @below {{offset 0x10000 out of range for io space}}
  initseq.write io[0x10000] : i8 = 0x1
}

// -----

initseq.sequence @bar_range {
  // expected-error @below {{expected bar0..bar5}}
  initseq.write mmio[bar6 + 0x0] : i32 = 0x1
}

// -----

initseq.sequence @space {
  // expected-error @below {{unknown address space 'pio' (expected cfg, mmio, io or idxio)}}
  initseq.write pio[0x80] : i8 = 0x1
}

// -----

initseq.sequence @idx_range {
  // expected-error @below {{indexed I/O data port must fit 16 bits and index 8 bits}}
  initseq.write idxio[0x3d4:0x3d5][0x100] : i8 = 0x1
}

// -----

initseq.sequence @block_empty {
  // expected-error @below {{has no values}}
  initseq.block_write mmio[bar0 + 0x0] : i32 stride 0x4 = []
}

// -----

initseq.sequence @block_value {
  // expected-error @below {{value #1 0x100 does not fit the 8-bit access}}
  initseq.block_write io[0x80] : i8 stride 0x1 = [0x1, 0x100]
}

// -----

initseq.sequence @block_end {
  // expected-error @below {{access of 8 bytes at 0xffc runs past the end of cfg space}}
  initseq.block_write cfg[0xffc] : i32 stride 0x4 = [0x1, 0x2]
}

// -----

initseq.sequence @block_idxio {
  // expected-error @below {{block writes are not defined for indexed I/O}}
  initseq.block_write idxio[0x3d4:0x3d5][0x1] : i8 stride 0x1 = [0x1]
}

// -----

initseq.sequence @unit {
  // expected-error @below {{unknown time unit 'min' (expected ns, us, ms or s)}}
  initseq.delay 1 min
}

// -----

initseq.sequence @duration_overflow {
  // expected-error @below {{duration does not fit in 64-bit nanoseconds}}
  initseq.delay 18446744073709551 s
}

// -----

initseq.sequence @opaque_bytes {
  // expected-error @below {{bytes must be an even number of hex digits}}
  initseq.opaque "X"() bytes "abc"
}

// -----

initseq.sequence @opaque_kind {
  // expected-error @below {{kind must not be empty}}
  initseq.opaque ""()
}

// -----

// expected-error @below {{sha1 must be 40 lowercase hex digits, got 'ABC'}}
initseq.sequence @sha sha1 "ABC" {
}

// -----

// expected-error @below {{PCI vendor and device ids are 16-bit}}
initseq.sequence @pci pci 0x10000:0x1 {
}

// -----

// expected-error @below {{PCI vendor and device ids go together}}
"initseq.sequence"() <{sym_name = "ids", vendor = 4318 : i32}> ({
  "initseq.end"() : () -> ()
}) : () -> ()

// -----

// Accesses live only in sequences and conditions.
func.func @outside() {
  // expected-error @below {{expects parent op to be one of 'initseq.sequence, initseq.condition'}}
  initseq.delay 1 ms
  return
}

// -----

initseq.sequence @negative_prov {
  // expected-error @below {{timestamp must not be negative}}
  "initseq.write"() <{location = #initseq.reg<mmio[bar0 + 0x0]>, width = i32, value = 1 : i64, ts = [-1 : i64]}> : () -> ()
}

// -----

initseq.sequence @generic_value {
  // expected-error @below {{value 0x1ff does not fit the 8-bit access}}
  "initseq.write"() <{location = #initseq.reg<io[0x80]>, width = i8, value = 511 : i64}> : () -> ()
}

// -----

initseq.sequence @negative_delay {
  // expected-error @below {{delay must not be negative}}
  "initseq.delay"() <{ns = -5 : i64}> : () -> ()
}

// -----

initseq.sequence @cond_index {
  // expected-error @below {{condition index must not be negative}}
  "initseq.condition"() <{kind = #initseq<condition_kind strap>, index = -1 : i64}> ({
    "initseq.end"() : () -> ()
  }, {
  }) : () -> ()
}

// -----

// A condition has two regions, the body and the else body (empty: no else).
initseq.sequence @cond_one_region {
  // expected-error @below {{'initseq.condition' op expected 2 regions}}
  "initseq.condition"() <{kind = #initseq<condition_kind strap>, index = 1 : i64}> ({
    "initseq.end"() : () -> ()
  }) : () -> ()
}

// -----

initseq.sequence @cond_else_two_blocks {
  // expected-error @below {{'initseq.condition' op expects region #1 to have 0 or 1 blocks}}
  "initseq.condition"() <{kind = #initseq<condition_kind strap>, index = 1 : i64}> ({
    "initseq.end"() : () -> ()
  }, {
    "initseq.end"() : () -> ()
  ^bb1:
    "initseq.end"() : () -> ()
  }) : () -> ()
}

// -----

initseq.sequence @cond_else_argument {
  // expected-error @below {{'initseq.condition' op region #1 should have no arguments}}
  "initseq.condition"() <{kind = #initseq<condition_kind strap>, index = 1 : i64}> ({
    "initseq.end"() : () -> ()
  }, {
  ^bb0(%x: i32):
    "initseq.end"() : () -> ()
  }) : () -> ()
}

// -----

initseq.sequence @cond_else_no_terminator {
  "initseq.condition"() <{kind = #initseq<condition_kind strap>, index = 1 : i64}> ({
    "initseq.end"() : () -> ()
  }, {
    // expected-error @below {{block with no terminator}}
    "initseq.delay"() <{ns = 1000 : i64}> : () -> ()
  }) : () -> ()
}

// -----

// The else body ends with initseq.end, nothing else.
initseq.sequence @cond_else_wrong_terminator {
  // expected-error @below {{'initseq.condition' op expects regions to end with 'initseq.end', found 'llvm.unreachable'}}
  // expected-note @below {{in custom textual format, the absence of terminator implies 'initseq.end'}}
  "initseq.condition"() <{kind = #initseq<condition_kind strap>, index = 1 : i64}> ({
    "initseq.end"() : () -> ()
  }, {
    "llvm.unreachable"() : () -> ()
  }) : () -> ()
}

// -----

initseq.sequence @cond_else_without_body {
  initseq.condition strap 0x1 {
  // expected-error @below {{expected '{' to begin a region}}
  } else
}

// -----

initseq.sequence @cond_two_elses {
  initseq.condition strap 0x1 {
  } else {
  // expected-error @below {{initseq.condition has at most one 'else'; nest a condition in the else body instead}}
  } else {
  }
}

// -----

initseq.sequence @cond_kind {
  // expected-error @below {{unknown condition kind 'gpio'}}
  initseq.condition gpio 0x1 {
  }
}

// -----

// expected-error @below {{offset 0x10000000000 out of range for mmio space (limit 0x10000000000)}}
initseq.sequence @attr_offset attributes {bad = #initseq.reg<mmio[bar0 + 0x10000000000]>} {
}

// -----

initseq.sequence @inherent_in_dict {
  // expected-error @below {{'ts' is part of the op's syntax, not of its attribute dictionary}}
  initseq.write mmio[bar0 + 0x0] : i32 = 0x1 {ts = 5 : i64}
}

// -----

initseq.sequence @width_type {
  // expected-error @below {{expected a signless integer width (i8, i16, i32 or i64), got 'f32'}}
  initseq.write mmio[bar0 + 0x0] : f32 = 0x1
}

// -----

initseq.sequence @note_prov {
  // expected-error @below {{source offset must not be negative}}
  "initseq.note"() <{text = "x", src_offset = [-4 : i64], script = [], ts = []}> : () -> ()
}
