// Export as 1.0 (the default) fails on the first operation 1.0 cannot
// express, naming its index and location, and on every violated 1.0 rule.
// Nothing is rounded or dropped to make a sequence fit.
// RUN: gpuinit-translate --export-initseq-json --initseq-json-generated=2024-05-01T12:00:00Z %s -split-input-file -verify-diagnostics

initseq.sequence @first_only sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{operation #1 ('initseq.read') cannot be expressed in init-sequence JSON 1.0: a read; export it as 1.1 (--initseq-json-version=1.1 or auto)}}
  initseq.read mmio[bar0 + 0x0] : i32
  // Only the first one is reported.
  initseq.rmw mmio[bar0 + 0x0] : i32 and 0x0 or 0x1
}

// -----

initseq.sequence @delay_500ns sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{operation #1 ('initseq.delay') cannot be expressed in init-sequence JSON 1.0: a delay of 500 ns (1.0 DELAY is 1 us..1 s and is never rounded)}}
  initseq.delay 500 ns
}

// -----

initseq.sequence @delay_2s sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{operation #1 ('initseq.delay') cannot be expressed in init-sequence JSON 1.0: a delay of 2 s}}
  initseq.delay 2 s
}

// -----

initseq.sequence @delay_zero sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{a delay of 0 ns}}
  initseq.delay 0 ns
}

// -----

initseq.sequence @poll_timeout sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{operation #1 ('initseq.poll') cannot be expressed in init-sequence JSON 1.0: a poll timeout of 10000001 us (1.0 POLL timeouts are 1 us..10 s)}}
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 10000001 us
}

// -----

initseq.sequence @poll_timeout_rounds_over sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // 10 s + 1 ns rounds up to 10000001 us: past 1.0's range.
  // expected-error @below {{a poll timeout of 10000000001 ns}}
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 10000000001 ns
}

// -----

initseq.sequence @poll_ne sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{a poll with a not-equal compare (1.0 polls wait for equality)}}
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 ne 0x0 timeout 1 ms
}

// -----

initseq.sequence @poll_io sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{poll in io space (1.0 only has BAR0 MMIO)}}
  initseq.poll io[0x3da] : i8 mask 0x8 eq 0x8 timeout 1 ms
}

// -----

initseq.sequence @cfg16 sha1 "0123456789abcdef0123456789abcdef01234567" {
  // expected-error @below {{operation #0 ('initseq.write') cannot be expressed in init-sequence JSON 1.0: a 16-bit configuration write (1.0 CFG writes are 32-bit)}}
  initseq.write cfg[0x4] : i16 = 0x6
}

// -----

initseq.sequence @cfg_ext sha1 "0123456789abcdef0123456789abcdef01234567" {
  // expected-error @below {{a configuration write at offset 0x100 (1.0 CFG offsets are 0..255)}}
  initseq.write cfg[0x100] : i32 = 0x6
}

// -----

initseq.sequence @bar2 sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{write on BAR2 (1.0 only has BAR0)}}
  initseq.write mmio[bar2 + 0x10] : i32 = 0x6
}

// -----

initseq.sequence @mmio8 sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{a 8-bit write (1.0 accesses are 32-bit)}}
  initseq.write mmio[bar0 + 0x10] : i8 = 0x6
}

// -----

initseq.sequence @mmio_far sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{write at offset 0x1000000 (1.0 MMIO offsets are below 0x1000000)}}
  initseq.write mmio[bar0 + 0x1000000] : i32 = 0x6
}

// -----

initseq.sequence @io sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{write in io space}}
  initseq.write io[0x3c2] : i8 = 0x1
}

// -----

initseq.sequence @block sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // A block of 32-bit BAR0 writes is its MMIO operations, but not on BAR1.
  // expected-error @below {{operation #1 ('initseq.block_write') cannot be expressed in init-sequence JSON 1.0: block write on BAR1 (1.0 only has BAR0)}}
  initseq.block_write mmio[bar1 + 0x1000] : i32 stride 4 = [1, 2]
}

// -----

initseq.sequence @cond sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{a run-time condition}}
  initseq.condition strap 0 {
  }
}

// -----

initseq.sequence @cond_else sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{operation #1 ('initseq.condition') cannot be expressed in init-sequence JSON 1.0: a run-time condition}}
  initseq.condition strap 0 {
  } else {
    initseq.write mmio[bar0 + 0x0] : i32 = 0x1
  }
}

// -----

initseq.sequence @opaque sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{an unresolved source operation (opaque "INIT_PLL")}}
  initseq.opaque "INIT_PLL"(0x1)
}

// -----

// expected-error @below {{sequence @incomplete is incomplete (its source lost events), which 1.0 cannot say}}
initseq.sequence @incomplete sha1 "0123456789abcdef0123456789abcdef01234567" incomplete {
  initseq.write cfg[0x4] : i32 = 0x6
}

// -----

// The 1.0 rules: a sequence starts with a CFG operation...
initseq.sequence @no_cfg_first sha1 "0123456789abcdef0123456789abcdef01234567" {
  // expected-error @below {{init-sequence JSON 1.0 rule violated at operation #0 (MMIO), field 'op': a 1.0 sequence must start with a CFG operation, but operation #0 is MMIO}}
  initseq.write mmio[bar0 + 0x200] : i32 = 0x1
  initseq.write cfg[0x4] : i32 = 0x6
}

// -----

// The implicit END is located at its sequence.
// expected-error @below {{rule violated at operation #0 (END), field 'op': a 1.0 sequence must start with a CFG operation, but operation #0 is END (--initseq-json-prologue adds the PCI command-register enable when the sequence has no configuration write)}}
initseq.sequence @empty sha1 "0123456789abcdef0123456789abcdef01234567" {
}

// -----

// ...does not write the vendor/device id...
initseq.sequence @cfg_id sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  // expected-error @below {{rule violated at operation #1 (CFG), field 'addr': CFG write to offset 0: 1.0 forbids writes to the vendor/device id (offsets 0x00..0x03)}}
  initseq.write cfg[0x0] : i32 = 0x0
  // expected-error @below {{rule violated at operation #2 (CFG), field 'addr': CFG write to offset 2}}
  initseq.write cfg[0x2] : i32 = 0x0
}

// -----

// ...and waits at most 30 s in the worst case.
initseq.sequence @too_long sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 10 s
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 10 s
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 9 s
  initseq.delay 1 s
  // The rounded-up timeout counts: 1 ns becomes 1 us.
  // expected-error @below {{rule violated at operation #5 (POLL), field 'timeout_us': the worst-case time (sum of delays and poll timeouts) exceeds 1.0's limit of 30 s at this operation}}
  initseq.poll mmio[bar0 + 0xe100] : i32 mask 0x2 eq 0x2 timeout 1 ns
}

// -----

// Metadata: Source-ROM-SHA1 is required.
// expected-error @below {{sequence @no_sha1 has no sha1 attribute: Source-ROM-SHA1 is required; give it with --initseq-json-rom-sha1=<40 lowercase hex digits>}}
initseq.sequence @no_sha1 {
  initseq.write cfg[0x4] : i32 = 0x6
}

// -----

// expected-error @below {{Card-SKU "bad-sku" does not match [A-Za-z0-9_]+}}
initseq.sequence @bad_sku sha1 "0123456789abcdef0123456789abcdef01234567" attributes {initseq.card_sku = "bad-sku"} {
  initseq.write cfg[0x4] : i32 = 0x6
}

// -----

// expected-error @below {{SPDX-FileCopyrightText "Nobody" must be UTF-8 starting with a 4-digit year and a space}}
initseq.sequence @bad_copyright sha1 "0123456789abcdef0123456789abcdef01234567" attributes {initseq.spdx_copyright = "Nobody"} {
  initseq.write cfg[0x4] : i32 = 0x6
}
