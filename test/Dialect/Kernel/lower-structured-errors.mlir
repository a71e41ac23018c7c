// RUN: gpuinit-opt %s --kernel-lower-structured -split-input-file -verify-diagnostics

// Ranks above 3 have no grid dimension left.
!t = memref<2x2x2x2xf32, #gpu.address_space<global>>
func.func @rank4(%a: !t, %c: !t) {
  // expected-error @below {{has rank 4: kernel-lower-structured lowers ranks 0 to 3}}
  kernel.elementwise ins(%a : !t) outs(%c : !t) {
  ^bb0(%x: f32):
    kernel.yield %x : f32
  }
  return
}

// -----

!in = memref<2x2x2x2x8xf32, #gpu.address_space<global>>
!out = memref<2x2x2x2xf32, #gpu.address_space<global>>
func.func @reduce_rank4(%a: !in, %c: !out, %z: f32) {
  // expected-error @below {{has an output of rank 4: kernel-lower-structured lowers ranks 0 to 3}}
  kernel.reduce ins(%a : !in) outs(%c : !out) init(%z : f32) {
  ^bb0(%acc: f32, %x: f32):
    %s = arith.addf %acc, %x : f32
    kernel.yield %s : f32
  }
  return
}

// -----

// Partial values live in shared memory: the element needs a fixed size.
!in = memref<?xindex, #gpu.address_space<global>>
!out = memref<index, #gpu.address_space<global>>
func.func @reduce_index(%a: !in, %c: !out, %z: index) {
  // expected-error @below {{reduces 'index', which has no fixed size to keep in shared memory}}
  kernel.reduce ins(%a : !in) outs(%c : !out) init(%z : index) {
  ^bb0(%acc: index, %x: index):
    %s = arith.addi %acc, %x : index
    kernel.yield %s : index
  }
  return
}

// -----

// The kernels join an existing @structured_kernels only if it has their
// target (a kernel.module is compiled for one target).
// expected-error @below {{targets #kernel.target<vulkan 1.1> but kernel-lower-structured generates kernels for #kernel.target<cuda sm_90 ptx 80>}}
kernel.module @structured_kernels {
  kernel.func @k() kind custom target vulkan 1.1 {
    kernel.return
  }
}
!w = memref<16xf32, #gpu.address_space<global>>
func.func @other_target(%x: !w) {
  kernel.elementwise ins(%x : !w) outs(%x : !w) {
  ^bb0(%a: f32):
    kernel.yield %a : f32
  }
  // (Reported once, not once per op.)
  kernel.elementwise ins(%x : !w) outs(%x : !w) {
  ^bb0(%a: f32):
    kernel.yield %a : f32
  }
  return
}
