// What cannot be replayed fails the export, naming the operation.
// RUN: gpuinit-translate --export-initseq-c %s -split-input-file -verify-diagnostics
// RUN: not gpuinit-translate --export-initseq-c --initseq-c-prefix=1x %s -split-input-file 2>&1 | FileCheck %s --check-prefix=PREFIX

initseq.sequence @opaque {
  initseq.write cfg[0x4] : i16 = 0x7
  // expected-error @below {{operation #1 ('initseq.opaque' "INIT_PLL") cannot be replayed: the importer could not resolve it, so there is nothing to perform; the C header export fails}}
  initseq.opaque "INIT_PLL"(0x4010, 0x61a8)
}

// -----

initseq.sequence @nested_opaque {
  initseq.condition strap 0 {
    initseq.delay 1 us
    // expected-error @below {{operation #0.1 ('initseq.opaque' "I2C") cannot be replayed}}
    initseq.opaque "I2C"()
  }
}

// -----

// An operation in an else body is named by its path through the else.
initseq.sequence @else_opaque {
  initseq.condition strap 0 {
  } else {
    initseq.delay 1 us
    // expected-error @below {{operation #0.else.1 ('initseq.opaque' "I2C") cannot be replayed}}
    initseq.opaque "I2C"()
  }
}

// -----

// expected-error @below {{several initseq.sequence ops (2); choose one with --initseq-c-sequence=@name: @a @b}}
module {
  initseq.sequence @a {
  }
  initseq.sequence @b {
  }
}

// PREFIX: error: C prefix '1x' must start with a letter or '_'
