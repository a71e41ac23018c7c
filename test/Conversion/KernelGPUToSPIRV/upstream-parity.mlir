// convert-kernel-gpu-to-spirv must not change what upstream's
// convert-gpu-to-spirv produces for code without the atomics it adds: the
// two outputs of this module (ids, loads, stores, a barrier, a loop) are
// identical. OpenCL (Kernel capability) modules are refused.
// RUN: gpuinit-opt --convert-kernel-gpu-to-spirv %s > %t.ours
// RUN: gpuinit-opt --convert-gpu-to-spirv %s > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: FileCheck %s < %t.ours
// RUN: sed 's/\[Shader\]/[Kernel, Addresses]/' %s | not gpuinit-opt --convert-kernel-gpu-to-spirv 2>&1 | FileCheck %s --check-prefix=OPENCL

// CHECK: spirv.module @__spv__m Logical GLSL450
// CHECK: spirv.func @k
// CHECK: spirv.ControlBarrier
// OPENCL: error: convert-kernel-gpu-to-spirv converts Vulkan (Shader) modules; this one targets OpenCL (Kernel capability)
module attributes {gpu.container_module} {
  gpu.module @m attributes {spirv.target_env = #spirv.target_env<#spirv.vce<v1.3, [Shader], [SPV_KHR_storage_buffer_storage_class]>, #spirv.resource_limits<>>} {
    gpu.func @k(%a: memref<64xf32, #spirv.storage_class<StorageBuffer>>, %n: index) kernel
        attributes {spirv.entry_point_abi = #spirv.entry_point_abi<workgroup_size = [64, 1, 1]>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %t = gpu.thread_id x
      %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %t) -> (index) {
        %x = arith.addi %acc, %i : index
        scf.yield %x : index
      }
      %v = memref.load %a[%t] : memref<64xf32, #spirv.storage_class<StorageBuffer>>
      gpu.barrier
      %w = arith.addf %v, %v : f32
      memref.store %w, %a[%t] : memref<64xf32, #spirv.storage_class<StorageBuffer>>
      gpu.return
    }
  }
}
