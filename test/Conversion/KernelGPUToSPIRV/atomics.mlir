// RUN: gpuinit-opt --kernel-to-spirv-pipeline --split-input-file --verify-diagnostics %s | FileCheck %s

// Integer atomics map to their SPIR-V instruction (Device scope on buffers,
// Workgroup scope on shared memory, relaxed); CUDA's inc is a
// compare-exchange loop; a float buffer updated by a compare-exchange loop
// (max, and the exchange beside it) is retyped to i32 and its loads bitcast.
// CHECK-LABEL: spirv.module
// CHECK: spirv.GlobalVariable @k_arg_0 bind(0, 0) : !spirv.ptr<!spirv.struct<(!spirv.rtarray<i32, stride=4> [0])>, StorageBuffer>
// CHECK: spirv.func @k()
// CHECK: spirv.AtomicXor <Device> <None>
// CHECK: spirv.AtomicUMax <Workgroup> <None> %{{.*}}, %{{.*}} : !spirv.ptr<i32, Workgroup>
// CHECK: spirv.mlir.loop
// CHECK: spirv.AtomicCompareExchange <Device> <None> <None>
// CHECK: spirv.mlir.loop
// CHECK: spirv.Bitcast %{{.*}} : i32 to f32
// CHECK: spirv.Bitcast %{{.*}} : f32 to i32
// CHECK: spirv.AtomicCompareExchange <Device> <None> <None>
// CHECK: spirv.AtomicExchange <Device> <None> %{{.*}}, %{{.*}} : !spirv.ptr<i32, StorageBuffer>
// CHECK-NOT: spirv.EXT.AtomicFAdd
kernel.module @m {
  kernel.func @k(%f: memref<?xf32>, %i: memref<?xi32>, %x: f32, %v: i32)
      kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    %c0 = arith.constant 0 : index
    %s = kernel.shared_alloc : memref<32xi32, #gpu.address_space<workgroup>>
    %t = kernel.thread_id x
    %a = kernel.atomic xor device %i[%c0], %v : memref<?xi32>
    %b = kernel.atomic umax block %s[%t], %v : memref<32xi32, #gpu.address_space<workgroup>>
    %c = kernel.atomic inc device %i[%t], %v : memref<?xi32>
    %d = kernel.atomic max device %f[%c0], %x : memref<?xf32>
    %e = kernel.atomic exchange device %f[%t], %x : memref<?xf32>
    kernel.return
  }
}

// -----

// 64-bit atomics need Int64Atomics, which the default target environment
// does not list.
kernel.module @m {
  kernel.func @k(%i: memref<?xi64>, %v: i64) kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    %c0 = arith.constant 0 : index
    // expected-error @below {{'memref.atomic_rmw' op is a 64-bit atomic; SPIR-V needs the Int64Atomics capability for it, which this target environment does not list}}
    %a = kernel.atomic add device %i[%c0], %v : memref<?xi64>
    kernel.return
  }
}

// -----

// Device functions become SPIR-V functions; one whose float buffer
// parameter a compare-exchange loop would update is refused (its callers
// pass floats).
kernel.module @m {
  // expected-error @below {{'func.func' op has a float buffer parameter that a compare-exchange loop updates}}
  kernel.func @upd(%f: memref<?xf32>, %x: f32) device kind custom target vulkan 1.1 {
    %c0 = arith.constant 0 : index
    %a = kernel.atomic max device %f[%c0], %x : memref<?xf32>
    kernel.return
  }
  kernel.func @k(%f: memref<?xf32>, %x: f32) kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    kernel.call @upd(%f, %x) : (memref<?xf32>, f32) -> ()
    kernel.return
  }
}

// -----

// CHECK-LABEL: spirv.module
// CHECK: spirv.func @twice(%{{.*}}: f32) -> f32
// CHECK: spirv.FunctionCall @twice
kernel.module @m {
  kernel.func @twice(%x: f32) -> f32 device kind custom target vulkan 1.1 {
    %y = arith.addf %x, %x : f32
    kernel.return %y : f32
  }
  kernel.func @k(%f: memref<?xf32>) kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    %t = kernel.thread_id x
    %v = memref.load %f[%t] : memref<?xf32>
    %w = kernel.call @twice(%v) : (f32) -> f32
    memref.store %w, %f[%t] : memref<?xf32>
    kernel.return
  }
}
