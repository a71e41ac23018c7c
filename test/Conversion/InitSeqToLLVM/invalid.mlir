// What cannot be replayed is an error, at the op, before anything changes.
// RUN: gpuinit-opt %s --convert-initseq-to-llvm -split-input-file -verify-diagnostics
// RUN: not gpuinit-opt %s --convert-initseq-to-llvm 2>&1 | FileCheck %s

// CHECK: invalid.mlir:[[@LINE+3]]:3: error: cannot replay initseq.opaque "INIT_PLL": an importer could not resolve its effect on the device
initseq.sequence @opaque {
  initseq.write mmio[bar0 + 0x001540] : i32 = 0x1
  initseq.opaque "INIT_PLL" (0x4010, 0x61a8) bytes "79104000a8610000" at 0x2f1 script 1
  // expected-error @above {{cannot replay initseq.opaque "INIT_PLL": an importer could not resolve its effect on the device}}
}

// -----

// Every opaque op is reported, nested ones included.
// CHECK: invalid.mlir:[[@LINE+3]]:5: error: cannot replay initseq.opaque "INIT_COMPUTE_MEM"
initseq.sequence @nested_opaque {
  initseq.condition strap 0x1 {
    initseq.opaque "INIT_COMPUTE_MEM" ()
    // expected-error @above {{cannot replay initseq.opaque "INIT_COMPUTE_MEM"}}
  }
  initseq.opaque "INIT_RESET" (0x1)
  // expected-error @above {{cannot replay initseq.opaque "INIT_RESET"}}
}
// CHECK: error: cannot replay initseq.opaque "INIT_RESET"

// -----

// Hook names are reserved: a symbol of that name must be the hook itself.
// CHECK: invalid.mlir:[[@LINE+2]]:1: error: symbol @gpuinit_delay_ns clashes with the replay hook of that name (expected '!llvm.func<void (ptr, i64)>')
// expected-error @below {{symbol @gpuinit_delay_ns clashes with the replay hook of that name (expected '!llvm.func<void (ptr, i64)>')}}
llvm.func @gpuinit_delay_ns(!llvm.ptr, i32)
initseq.sequence @uses_delay {
  initseq.delay 1 us
}

// -----

// CHECK: invalid.mlir:[[@LINE+2]]:1: error: symbol @gpuinit_time_ns clashes with the replay hook of that name
// expected-error @below {{symbol @gpuinit_time_ns clashes with the replay hook of that name}}
initseq.sequence @gpuinit_time_ns {
  initseq.delay 1 us
}
